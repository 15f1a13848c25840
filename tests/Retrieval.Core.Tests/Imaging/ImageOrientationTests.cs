using Retrieval.Core.Imaging;

namespace Retrieval.Core.Tests.Imaging;

/// <summary>
/// JPEGs generated with each EXIF orientation decode upright. The expectation is read straight off the EXIF 2.3 table
/// (tag 0x0112: which visual side the stored first row and first column lie along), not from the code under test.
/// </summary>
public sealed class ImageOrientationTests
{
    private const int W = 48, H = 32, Block = 16;

    // Orientation -> (visual side of the stored 0th row, visual side of the stored 0th column).
    public static TheoryData<int, string, string> Table => new()
    {
        { 1, "top", "left" }, { 2, "top", "right" }, { 3, "bottom", "right" }, { 4, "bottom", "left" },
        { 5, "left", "top" }, { 6, "right", "top" }, { 7, "right", "bottom" }, { 8, "left", "bottom" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void JpegWithExifOrientationDecodesUpright(int orientation, string rowSide, string columnSide)
    {
        // Stored pixels: a 3x2 grid of flat colour blocks, so each stored corner has its own colour (JPEG-safe).
        var stored = TestImages.Make(W, H, (x, y, c) => Palette[(y / Block) * 3 + x / Block][c]);
        var jpeg = WithExifOrientation(ImageEncoder.EncodeJpeg(stored, 98), orientation);

        var upright = ImageDecoder.Decode(jpeg);

        bool turned = rowSide is "left" or "right";
        Assert.Equal(turned ? (H, W) : (W, H), (upright.Width, upright.Height));
        // The stored corners: (0,0) where the row side meets the column side; the end of row 0 at the row side and the
        // column side's opposite; the end of column 0 at the row side's opposite and the column side.
        AssertCorner(upright, rowSide, columnSide, Palette[0]);
        AssertCorner(upright, rowSide, Opposite(columnSide), Palette[2]);
        AssertCorner(upright, Opposite(rowSide), columnSide, Palette[3]);
        AssertCorner(upright, Opposite(rowSide), Opposite(columnSide), Palette[5]);
    }

    [Fact]
    public void PngAndJpegWithoutExifAreLeftAsStored()
    {
        var stored = TestImages.Make(W, H, (x, y, c) => Palette[(y / Block) * 3 + x / Block][c]);
        var decoded = ImageDecoder.Decode(ImageEncoder.EncodePng(stored));
        Assert.Equal(stored.Pixels, decoded.Pixels);
    }

    private static readonly int[][] Palette =
    [
        [220, 30, 30], [30, 200, 40], [40, 40, 220],
        [230, 220, 40], [200, 40, 200], [40, 210, 210],
    ];

    private static string Opposite(string side) => side switch { "top" => "bottom", "bottom" => "top", "left" => "right", _ => "left" };

    private static void AssertCorner(RgbImage image, string sideA, string sideB, int[] colour)
    {
        var sides = new[] { sideA, sideB };
        int x = sides.Contains("right") ? image.Width - 2 : 1;
        int y = sides.Contains("bottom") ? image.Height - 2 : 1;
        var (r, g, b) = TestImages.At(image, x, y);
        Assert.True(Math.Abs(r - colour[0]) < 12 && Math.Abs(g - colour[1]) < 12 && Math.Abs(b - colour[2]) < 12,
            $"corner {sideA}/{sideB} is ({r},{g},{b}), expected ({colour[0]},{colour[1]},{colour[2]})");
    }

    /// <summary>Inserts an APP1 Exif segment (big-endian TIFF, one IFD0 entry: Orientation SHORT) right after SOI.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at offset 8
            0, 1,                                    // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, // tag 0x0112, SHORT, count 1, value
            0, 0, 0, 0,                              // no next IFD
        ];
        byte[] payload = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, .. tiff];
        int length = payload.Length + 2;
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        return [0xFF, 0xD8, 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg[2..]];
    }
}
