namespace Retrieval.CommandLine.Tests;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void PlainModeWritesALinePerTenthAndNoControlCharacters()
    {
        var output = new StringWriter();
        var progress = ConsoleProgress.Plain(output);
        progress.Start("embedding images", 200);
        for (int i = 1; i <= 200; i++) progress.Report(i, i == 200 ? "done" : null);
        var lines = output.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(11, lines.Length);   // the first report, then each tenth
        Assert.Equal("embedding images: 1/200", lines[0]);
        Assert.Equal("embedding images: 20/200", lines[1]);
        Assert.Equal("embedding images: 200/200 done", lines[^1]);
        Assert.DoesNotContain(output.ToString(), c => c is '\r' or '\u001b');
    }

    [Fact]
    public void TheCountCallbackStartsANewPieceOfWorkWhenTheTotalChanges()
    {
        var output = new StringWriter();
        var count = ConsoleProgress.Plain(output).Counter("designs");
        count(0, 4);
        count(4, 4);
        count(1, 2);
        Assert.Equal(["designs: 0/4", "designs: 4/4", "designs: 1/2"], output.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public void LiveModeRedrawsOneLineAndPrintsMessagesAboveIt()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, live: true);
        progress.Start("epoch 1/2", 4);
        progress.Report(1, "loss 0.5000");
        progress.Message("validation MAP@R 0.1");
        progress.Report(4, "loss 0.2500");
        var text = output.ToString();
        Assert.StartsWith("\repoch 1/2 [######------------------]  25% 1/4 loss 0.5000", text);
        Assert.Contains("\rvalidation MAP@R 0.1" + Environment.NewLine + "\repoch 1/2 [######", text);
        Assert.EndsWith("100% 4/4 loss 0.2500" + Environment.NewLine, text);
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void TheWriterRoutesLinesThroughMessages()
    {
        var output = new StringWriter();
        var progress = ConsoleProgress.Plain(output);
        progress.Writer.WriteLine("wrote data/emoji");
        Assert.Equal("wrote data/emoji", output.ToString().TrimEnd());
    }
}
