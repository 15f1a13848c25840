using System.Buffers.Binary;
using System.Text;
using SkiaSharp;
using Retrieval.Core.Imaging;

using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.Imaging;

public sealed class ImageDecoderTests : TempTreeTest
{
    [Fact]
    public void Png_alpha_is_composited_over_white_with_rounding()
    {
        byte[] rgba =
        [
            200, 100, 50, 128,   // half transparent
            10, 20, 30, 0,       // fully transparent -> white
            1, 2, 3, 255,        // opaque -> unchanged
            255, 0, 0, 64,
        ];
        var image = ImageDecoder.Decode(TestImages.EncodeRgbaPng(2, 2, rgba));
        Assert.Equal((2, 2), (image.Width, image.Height));
        // c·a/255 + 255·(255−a)/255, rounded: 200·128/255 + 127 = 227.39; 100→177.20; 50→152.10.
        Assert.Equal((227, 177, 152), TestImages.At(image, 0, 0));
        Assert.Equal((255, 255, 255), TestImages.At(image, 1, 0));
        Assert.Equal((1, 2, 3), TestImages.At(image, 0, 1));
        // 255·64/255 + 191 = 255; 0 + 191 = 191.
        Assert.Equal((255, 191, 191), TestImages.At(image, 1, 1));
    }

    [Fact]
    public void Png_round_trips_exactly_and_is_written_as_rgb()
    {
        var original = TestImages.Make(5, 3, (x, y, c) => x * 40 + y * 7 + c);
        byte[] png = ImageEncoder.EncodePng(original);
        Assert.Equal(2, png[25]); // IHDR colour type 2 = truecolour RGB, no alpha channel
        var decoded = ImageDecoder.Decode(png);
        Assert.Equal(original.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Jpeg_file_decodes_close_to_the_original()
    {
        var original = TestImages.Make(16, 16, (_, _, c) => c == 0 ? 200 : c == 1 ? 60 : 30);
        string path = Path.Combine(Tree.Root, "a.jpg");
        File.WriteAllBytes(path, ImageEncoder.EncodeJpeg(original, 100));
        var decoded = ImageDecoder.DecodeFile(path);
        Assert.Equal((16, 16), (decoded.Width, decoded.Height));
        for (int i = 0; i < decoded.Pixels.Length; i++)
            Assert.InRange(Math.Abs(decoded.Pixels[i] - original.Pixels[i]), 0, 3);
    }

    [Fact]
    public void Header_over_the_pixel_limit_is_rejected_before_decoding()
    {
        // A valid PNG header claiming 100000 x 100000 with a few bytes of body: decoding would need 40 GB.
        byte[] png = PngWithHeaderOnly(100_000, 100_000);
        var e = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png));
        Assert.Equal(100_000, e.Width);
        Assert.Equal(100_000, e.Height);
        Assert.Equal(ImageLimits.Default.MaxPixels, e.MaxPixels);
        Assert.Contains("100000x100000", e.Message);
    }

    [Theory]
    [InlineData(1, 600_000)]
    [InlineData(1_000_000, 1)]
    [InlineData(210, 10)]
    public void Header_over_the_aspect_ratio_limit_is_rejected_before_decoding(int width, int height)
    {
        byte[] png = PngWithHeaderOnly(width, height);
        var e = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png));
        Assert.Contains($"{width}x{height}", e.Message);
        Assert.Contains("over the limit of 20:1", e.Message);
        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, new ImageLimits(40_000_000, 20.5)));
    }

    [Fact]
    public void Aspect_ratio_at_the_limit_decodes()
    {
        byte[] png = ImageEncoder.EncodePng(TestImages.Make(200, 10, (_, _, _) => 9));
        Assert.Equal(200, ImageDecoder.Decode(png).Width);
        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, new ImageLimits(1000, 19.9)));
    }

    [Fact]
    public void Configurable_limit_applies_to_real_images()
    {
        byte[] png = ImageEncoder.EncodePng(TestImages.Make(10, 10, (_, _, _) => 9));
        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, new ImageLimits(99)));
        Assert.Equal(10, ImageDecoder.Decode(png, new ImageLimits(100)).Width);
    }

    [Fact]
    public void Truncated_png_gives_decode_error_naming_the_file()
    {
        var noisy = TestImages.Make(64, 64, (x, y, c) => (x * 131 + y * 71 + c * 29) * 7919 % 251);
        byte[] png = ImageEncoder.EncodePng(noisy);
        string path = Path.Combine(Tree.Root, "cut.png");
        File.WriteAllBytes(path, png[..(png.Length / 2)]);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path));
        Assert.IsType<ImageDecodeException>(e);
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void Truncated_jpeg_gives_decode_error()
    {
        var noisy = TestImages.Make(64, 64, (x, y, c) => (x * 131 + y * 71 + c * 29) * 7919 % 251);
        byte[] jpg = ImageEncoder.EncodeJpeg(noisy, 90);
        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpg.AsSpan(0, jpg.Length / 3)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is not an image at all")]
    [InlineData("\u0089PNG\r\n\u001a\n garbage after the signature")]
    public void Empty_or_corrupt_data_gives_decode_error(string text)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Unsupported_format_is_named()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(4, 4, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var webp = bitmap.Encode(SKEncodedImageFormat.Webp, 90);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(webp.ToArray()));
        Assert.Contains("Webp", e.Message);
    }

    [Fact]
    public void Missing_file_gives_decode_error_with_path()
    {
        string path = Path.Combine(Tree.Root, "nope.png");
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path));
        Assert.Equal(path, e.Path);
    }

    /// <summary>PNG signature, an IHDR (8-bit RGB) with the given size, a tiny IDAT and IEND, with correct CRCs.</summary>
    private static byte[] PngWithHeaderOnly(int width, int height)
    {
        var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        WriteChunk(ms, "IHDR", ihdr);
        WriteChunk(ms, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        WriteChunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        s.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        s.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
