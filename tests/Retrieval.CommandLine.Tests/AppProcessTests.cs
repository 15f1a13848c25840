namespace Retrieval.CommandLine.Tests;

public sealed class AppProcessTests
{
    [Fact]
    public void PlainTextHasNeitherEscapeCodesNorCarriageReturns()
    {
        AppProcess.AssertPlain("epoch 1/2: 3/4 loss 0.5\n");
        Assert.ThrowsAny<Exception>(() => AppProcess.AssertPlain("\u001b[1mbold\u001b[0m"));
        Assert.ThrowsAny<Exception>(() => AppProcess.AssertPlain("\r 50%"));
    }
}
