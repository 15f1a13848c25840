using System.Globalization;
using Retrieval.Core.Imaging;
using Retrieval.Core.IO;
using SkiaSharp;

namespace Retrieval.Core.Pictures;

/// <summary>
/// The qualitative retrieval figure: one row per query — the query (blue border), then its top-k neighbours with a green
/// border when their class matches the query's and red when not, each captioned with label and cosine score. Drawn with
/// SkiaSharp; images go through core's decoder (EXIF, alpha over white), an unreadable one becomes a grey "unreadable" tile.
/// </summary>
public static class RetrievalGrid
{
    public static readonly SKColor QueryColor = new(0x15, 0x65, 0xc0), RightColor = new(0x2e, 0x7d, 0x32), WrongColor = new(0xc6, 0x28, 0x28);
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21), Muted = new(0x75, 0x75, 0x75), Backdrop = new(0xf5, 0xf5, 0xf5);

    /// <summary>Draws the grid and writes it as a PNG with <see cref="AtomicFile"/>.</summary>
    public static void Save(string path, IReadOnlyList<GridQuery> rows, string title, RetrievalGridSettings settings) =>
        AtomicFile.WriteAllBytes(path, Draw(rows, title, settings));

    /// <summary>The grid as PNG bytes, laid out by <see cref="RetrievalGridLayout"/>.</summary>
    public static byte[] Draw(IReadOnlyList<GridQuery> rows, string title, RetrievalGridSettings settings)
    {
        settings.Validate();
        var layout = RetrievalGridLayout.For(rows, settings);
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not allocate a {layout.Width}x{layout.Height} surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var titleFont = new SKFont(typeface, 17) { Embolden = true };
        using var font = new SKFont(typeface, 12);
        using var text = new SKPaint { Color = Ink, IsAntialias = true };
        using var muted = new SKPaint { Color = Muted, IsAntialias = true };

        canvas.DrawText(Fit(title, titleFont, layout.Width - 2 * RetrievalGridLayout.Margin), RetrievalGridLayout.Margin,
            RetrievalGridLayout.Margin + 18, SKTextAlign.Left, titleFont, text);
        float headerBaseline = layout.FirstRowTop - 7;
        for (int c = 0; c <= layout.Columns; c++)
            canvas.DrawText(c == 0 ? "query" : $"#{c}", layout.Cell(0, c).MidX, headerBaseline, SKTextAlign.Center, font, muted);
        if (rows.Count == 0) canvas.DrawText("no queries", layout.Cell(0, 0).Left, layout.Cell(0, 0).MidY, SKTextAlign.Left, font, muted);

        var cell = new CellPainter(canvas, font, text, muted);
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            cell.Draw(layout.Cell(r, 0), row.Query.Path, QueryColor, row.Query.Label, "query");
            for (int c = 0; c < row.Neighbors.Count; c++)
            {
                var n = row.Neighbors[c];
                cell.Draw(layout.Cell(r, c + 1), n.Image.Path, n.Correct ? RightColor : WrongColor, n.Image.Label,
                    n.Score.ToString("F3", CultureInfo.InvariantCulture));
            }
        }
        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The text, cut with an ellipsis so it fits <paramref name="width"/> pixels.</summary>
    private static string Fit(string value, SKFont font, float width)
    {
        if (font.MeasureText(value) <= width) return value;
        for (int n = value.Length - 1; n > 0; n--)
        {
            var cut = value[..n] + "…";
            if (font.MeasureText(cut) <= width) return cut;
        }
        return "…";
    }

    private readonly record struct CellPainter(SKCanvas Canvas, SKFont Font, SKPaint Text, SKPaint Muted)
    {
        public void Draw(SKRectI cell, string path, SKColor border, string label, string caption)
        {
            const int b = RetrievalGridLayout.Border;
            using (var frame = new SKPaint { Color = border })
                Canvas.DrawRect(cell, frame);
            var inner = SKRect.Create(cell.Left + b, cell.Top + b, cell.Width - 2 * b, cell.Height - 2 * b);
            using (var backdrop = new SKPaint { Color = Backdrop })
                Canvas.DrawRect(inner, backdrop);
            var image = TryLoad(path, (int)inner.Width);
            if (image is null)
                Canvas.DrawText("unreadable", inner.MidX, inner.MidY, SKTextAlign.Center, Font, Muted);
            else
            {
                using var bitmap = ImageEncoder.ToBitmap(image);
                Canvas.DrawBitmap(bitmap, inner.Left + (inner.Width - image.Width) / 2f, inner.Top + (inner.Height - image.Height) / 2f);
            }
            Canvas.DrawText(Fit(label, Font, cell.Width), cell.MidX, cell.Bottom + 14, SKTextAlign.Center, Font, Text);
            Canvas.DrawText(Fit(caption, Font, cell.Width), cell.MidX, cell.Bottom + 29, SKTextAlign.Center, Font, Muted);
        }

        private static RgbImage? TryLoad(string path, int side)
        {
            try
            {
                return Thumbnail.Fit(ImageDecoder.DecodeFile(path), side, enlarge: true);
            }
            catch (ImageDecodeException)
            {
                return null;
            }
        }
    }
}
