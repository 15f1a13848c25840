using Retrieval.Core.Imaging;
using Retrieval.Core.Pictures;
using Retrieval.Core.Tests.Data;
using Retrieval.Core.Tests.Imaging;
using SkiaSharp;

namespace Retrieval.Core.Tests.Pictures;

public sealed class RetrievalGridTests : TempTreeTest
{
    private static readonly (int R, int G, int B) Blue = (20, 40, 200), Orange = (240, 140, 10), Purple = (120, 30, 140);

    [Fact]
    public void CellsShowTheImagesWithBordersByRoleAndClass()
    {
        string query = Solid("q.png", 40, 20, Blue), right = Solid("a.png", 30, 30, Orange), wrong = Solid("b.jpg", 30, 60, Purple);
        var rows = new List<GridQuery>
        {
            new(new GridImage(query, "cat"), [new(new GridImage(right, "cat"), 0.9f, true), new(new GridImage(wrong, "dog"), 0.4f, false)]),
            new(new GridImage(wrong, "dog"), [new(new GridImage(Path.Combine(Tree.Root, "missing.png"), "dog"), 0.8f, true)]),
        };
        var settings = new RetrievalGridSettings(Queries: 2, K: 2, CellSize: 64);

        var png = ImageDecoder.Decode(RetrievalGrid.Draw(rows, "title", settings));

        var layout = RetrievalGridLayout.For(rows, settings);
        Assert.Equal((layout.Width, layout.Height), (png.Width, png.Height));
        Assert.Equal((2, 2), (layout.Rows, layout.Columns));
        AssertBorder(png, layout.Cell(0, 0), RetrievalGrid.QueryColor);
        AssertBorder(png, layout.Cell(0, 1), RetrievalGrid.RightColor);
        AssertBorder(png, layout.Cell(0, 2), RetrievalGrid.WrongColor);
        AssertBorder(png, layout.Cell(1, 1), RetrievalGrid.RightColor);
        AssertNear(Blue, Centre(png, layout.Cell(0, 0)));
        AssertNear(Orange, Centre(png, layout.Cell(0, 1)));
        AssertNear(Purple, Centre(png, layout.Cell(0, 2)));
        var q = layout.Cell(0, 0);   // 40x20 fitted to 64x32: letterboxed above and below
        AssertNear((0xf5, 0xf5, 0xf5), TestImages.At(png, q.MidX, q.Top + RetrievalGridLayout.Border + 4));
        var missing = layout.Cell(1, 1);
        AssertNear((0xf5, 0xf5, 0xf5), TestImages.At(png, missing.Left + 8, missing.Top + 8));
        AssertNear((255, 255, 255), TestImages.At(png, layout.Cell(1, 2).MidX, layout.Cell(1, 2).MidY));   // row 2 has one neighbour
    }

    [Fact]
    public void SaveWritesThePngAtomically()
    {
        var path = Path.Combine(Tree.Root, "out", "grid.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string image = Solid("q.png", 8, 8, Blue);
        RetrievalGrid.Save(path, [new(new GridImage(image, "x"), [])], "t", new RetrievalGridSettings());
        Assert.Equal(new RetrievalGridLayout(1, 1, 112).Width, ImageDecoder.DecodeFile(path).Width);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void BadSettingsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => RetrievalGrid.Draw([], "t", new RetrievalGridSettings(K: 0)));
        Assert.Throws<ArgumentException>(() => RetrievalGrid.Draw([], "t", new RetrievalGridSettings(CellSize: 4000)));
    }

    private string Solid(string name, int width, int height, (int R, int G, int B) colour)
    {
        var image = TestImages.Make(width, height, (_, _, c) => c == 0 ? colour.R : c == 1 ? colour.G : colour.B);
        var path = Path.Combine(Tree.Root, name);
        File.WriteAllBytes(path, name.EndsWith(".jpg") ? ImageEncoder.EncodeJpeg(image, 100) : ImageEncoder.EncodePng(image));
        return path;
    }

    private static (int R, int G, int B) Centre(RgbImage png, SKRectI cell) => TestImages.At(png, cell.MidX, cell.MidY);

    private static void AssertBorder(RgbImage png, SKRectI cell, SKColor colour)
    {
        foreach (var (x, y) in new[] { (cell.Left + 1, cell.Top + 1), (cell.Right - 2, cell.Bottom - 2), (cell.MidX, cell.Top + 2) })
            AssertNear((colour.Red, colour.Green, colour.Blue), TestImages.At(png, x, y));
    }

    private static void AssertNear((int R, int G, int B) expected, (int R, int G, int B) actual)
    {
        Assert.True(Math.Abs(expected.R - actual.R) <= 6 && Math.Abs(expected.G - actual.G) <= 6 && Math.Abs(expected.B - actual.B) <= 6,
            $"expected ~{expected}, got {actual}");
    }
}
