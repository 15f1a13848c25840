using System.Text;

namespace Retrieval.Study.Report;

/// <summary>A GitHub-flavoured Markdown table: a header, alignments (first column left, the others right unless told) and rows.</summary>
public sealed class MarkdownTable(params string[] header)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Columns (0-based) aligned left; by default only the first.</summary>
    public HashSet<int> LeftAligned { get; } = [0];

    public MarkdownTable Add(params string[] cells)
    {
        if (cells.Length != header.Length) throw new ArgumentException($"{cells.Length} cells for {header.Length} columns", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", header.Select(Escape)) + " |");
        text.AppendLine("|" + string.Join("|", header.Select((_, i) => LeftAligned.Contains(i) ? " --- " : " ---: ")) + "|");
        foreach (var row in _rows) text.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        return text.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");
}
