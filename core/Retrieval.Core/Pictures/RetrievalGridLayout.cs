using SkiaSharp;

namespace Retrieval.Core.Pictures;

/// <summary>
/// Where everything of a qualitative grid goes: the title and column header on top, then one row per query; column 0 is
/// the query, columns 1..k its neighbours, set apart by a wider gap. A cell is the bordered thumbnail; its caption sits below.
/// </summary>
public sealed record RetrievalGridLayout(int Rows, int Columns, int CellSize)
{
    /// <summary>Border width around each thumbnail.</summary>
    public const int Border = 4;
    public const int Margin = 16, Gap = 10, QueryGap = 22, TitleHeight = 30, HeaderHeight = 20, CaptionHeight = 34;

    /// <summary>The layout for these rows (columns = the longest row, at least <see cref="RetrievalGridSettings.K"/> when empty).</summary>
    public static RetrievalGridLayout For(IReadOnlyList<GridQuery> rows, RetrievalGridSettings settings) =>
        new(rows.Count, rows.Count == 0 ? settings.K : Math.Max(1, rows.Max(r => r.Neighbors.Count)), settings.CellSize);

    /// <summary>Horizontal distance between the left edges of neighbouring cells.</summary>
    public int Pitch => CellSize + 2 * Border + Gap;

    /// <summary>Vertical distance between the top edges of consecutive rows.</summary>
    public int RowPitch => CellSize + 2 * Border + CaptionHeight + Gap;

    /// <summary>Top edge of the first row.</summary>
    public int FirstRowTop => Margin + TitleHeight + HeaderHeight;

    public int Width => 2 * Margin + Pitch * (Columns + 1) - Gap + QueryGap;
    public int Height => FirstRowTop + Math.Max(1, Rows) * RowPitch - Gap + Margin;

    /// <summary>The bordered cell of <paramref name="row"/>, <paramref name="column"/> (0 = the query, 1.. = rank).</summary>
    public SKRectI Cell(int row, int column)
    {
        int left = Margin + column * Pitch + (column > 0 ? QueryGap : 0), top = FirstRowTop + row * RowPitch;
        return SKRectI.Create(left, top, CellSize + 2 * Border, CellSize + 2 * Border);
    }
}
