using Retrieval.Core.Imaging;

namespace Retrieval.Core.Tests.Imaging;

public sealed class ImageTransformsTests
{
    [Fact]
    public void Upscaling_two_pixels_to_four_matches_hand_computed_bilinear()
    {
        // Output centres 0.25, 0.75, 1.25, 1.75 over source centres 0.5, 1.5 (edges clamp).
        var image = TestImages.Make(2, 1, (x, _, _) => x == 0 ? 0 : 200);
        var resized = ImageTransforms.Resize(image, 4, 1);
        Assert.Equal([0, 50, 150, 200], Enumerable.Range(0, 4).Select(x => TestImages.At(resized, x, 0).R));
    }

    [Fact]
    public void Downscaling_is_antialiased_with_a_widened_triangle()
    {
        // Scale 2: output 0 centred at 1 with half-width 2 -> weights .75,.75,.25 on 0,60,120 -> 75/1.75 = 42.86.
        // Output 1 centred at 3 -> weights .25,.75,.75 on 60,120,180 -> 240/1.75 = 137.14.
        var image = TestImages.Make(4, 1, (x, _, _) => 60 * x);
        var resized = ImageTransforms.Resize(image, 2, 1);
        Assert.Equal((43, 43, 43), TestImages.At(resized, 0, 0));
        Assert.Equal((137, 137, 137), TestImages.At(resized, 1, 0));
    }

    [Fact]
    public void Constant_image_stays_constant_under_any_resize()
    {
        var image = TestImages.Make(7, 5, (_, _, c) => 10 + 100 * c);
        var resized = ImageTransforms.Resize(image, 13, 3);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 13; x++)
                Assert.Equal((10, 110, 210), TestImages.At(resized, x, y));
    }

    [Theory]
    [InlineData(100, 50, 32, 64, 32)]
    [InlineData(50, 75, 32, 32, 48)]
    [InlineData(3, 7, 2, 2, 4)] // 2·7/3 = 4.67 truncated
    [InlineData(64, 64, 72, 72, 72)]
    public void Resize_shorter_side_geometry(int w, int h, int size, int ew, int eh)
    {
        var resized = ImageTransforms.ResizeShorterSide(TestImages.Make(w, h, (_, _, _) => 0), size);
        Assert.Equal((ew, eh), (resized.Width, resized.Height));
    }

    [Fact]
    public void Center_crop_takes_the_middle_with_half_to_even_offsets()
    {
        // 5x4, crop 2: left = round(1.5) = 2, top = round(1.0) = 1.
        var image = TestImages.Make(5, 4, (x, y, c) => c == 0 ? x : c == 1 ? y : 0);
        var crop = ImageTransforms.CenterCrop(image, 2);
        Assert.Equal((2, 2), (crop.Width, crop.Height));
        Assert.Equal((2, 1, 0), TestImages.At(crop, 0, 0));
        Assert.Equal((3, 2, 0), TestImages.At(crop, 1, 1));
        Assert.Throws<ArgumentException>(() => ImageTransforms.CenterCrop(image, 5));
    }

    [Fact]
    public void Horizontal_flip_mirrors_columns()
    {
        var image = TestImages.Make(3, 2, (x, y, c) => 10 * x + y + 100 * c);
        var flipped = ImageTransforms.HorizontalFlip(image);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                Assert.Equal(TestImages.At(image, 2 - x, y), TestImages.At(flipped, x, y));
    }

    [Fact]
    public void Random_resized_crop_is_deterministic_per_seed_and_within_bounds()
    {
        var image = TestImages.Make(40, 30, (x, y, c) => x * 5 + y + c);
        var a = ImageTransforms.RandomResizedCrop(image, 16, new Random(7));
        var b = ImageTransforms.RandomResizedCrop(image, 16, new Random(7));
        Assert.Equal((16, 16), (a.Width, a.Height));
        Assert.Equal(a.Pixels, b.Pixels);

        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var (x, y, w, h) = ImageTransforms.RandomResizedCropBox(40, 30, rng, (0.08, 1.0), (3.0 / 4, 4.0 / 3));
            Assert.InRange(x, 0, 40 - w);
            Assert.InRange(y, 0, 30 - h);
            double area = (double)w * h / (40 * 30);
            Assert.InRange(area, 0.06, 1.0); // 0.08 before rounding of w and h
        }
    }

    [Fact]
    public void Random_resized_crop_falls_back_to_a_ratio_clamped_centre_crop()
    {
        // Full area at aspect >= 2 never fits a square: fallback clamps to ratio 2 -> 10x5, centred.
        Assert.Equal((0, 2, 10, 5), ImageTransforms.RandomResizedCropBox(10, 10, new Random(3), (1.0, 1.0), (2.0, 3.0)));
        // Aspect range containing the image's own ratio: fallback is the whole image.
        Assert.Equal((0, 0, 10, 10), ImageTransforms.RandomResizedCropBox(10, 10, new Random(3), (1.0, 1.0), (0.5, 2.0)));
        // A wide image clamped to ratio 4/3: height 6, width round(8) = 8, centred horizontally.
        Assert.Equal((6, 0, 8, 6), ImageTransforms.RandomResizedCropBox(20, 6, new Random(3), (1.0, 1.0), (0.5, 4.0 / 3)));
    }
}
