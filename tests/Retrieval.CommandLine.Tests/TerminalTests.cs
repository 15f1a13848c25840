using Spectre.Console;

namespace Retrieval.CommandLine.Tests;

public sealed class TerminalTests
{
    [Fact]
    public void ATableForAFileHasNoEscapeCodesEvenWhenTheTerminalTypeWouldAllowThem()
    {
        var output = new StringWriter();
        var table = new Table().Title("[bold]results[/]").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("[red]MAP@R[/]", "0.4321");
        Terminal.For(output, interactive: false).Write(table);
        Assert.Contains("MAP@R", output.ToString());
        Assert.DoesNotContain('\u001b', output.ToString());
    }
}
