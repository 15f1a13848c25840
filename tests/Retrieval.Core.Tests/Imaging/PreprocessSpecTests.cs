using Retrieval.Core.Imaging;

namespace Retrieval.Core.Tests.Imaging;

public sealed class PreprocessSpecTests
{
    [Fact]
    public void Chw_layout_puts_each_channel_in_its_own_plane_scaled_to_unit_range()
    {
        var image = new RgbImage(2, 1, [10, 20, 30, 40, 50, 255]);
        float[] t = ImageTensor.ToChw(image);
        Assert.Equal([10 / 255f, 40 / 255f, 20 / 255f, 50 / 255f, 30 / 255f, 1f], t);
        Assert.Throws<ArgumentException>(() => ImageTensor.WriteChw(image, new float[5]));
    }

    [Fact]
    public void Eval_tensor_is_resize_then_centre_crop_then_chw()
    {
        // 8x4 with shorter side already 4: no resampling; crop 2 -> left 3, top 1.
        var image = TestImages.Make(8, 4, (x, y, c) => 20 * x + 3 * y + c);
        var spec = new PreprocessSpec(4, 2);
        float[] t = spec.ToEvalTensor(image);
        Assert.Equal(spec.TensorLength, t.Length);
        // Plane c, row r, column k = pixel (3 + k, 1 + r).
        for (int c = 0; c < 3; c++)
            for (int r = 0; r < 2; r++)
                for (int k = 0; k < 2; k++)
                    Assert.Equal((20 * (3 + k) + 3 * (1 + r) + c) / 255f, t[c * 4 + r * 2 + k]);
    }

    [Fact]
    public void Eval_tensor_on_a_larger_image_equals_the_composed_transforms()
    {
        var image = TestImages.Make(30, 20, (x, y, c) => (x * 7 + y * 11 + c * 50) % 256);
        var spec = new PreprocessSpec(10, 8);
        var expected = ImageTensor.ToChw(ImageTransforms.CenterCrop(ImageTransforms.ResizeShorterSide(image, 10), 8));
        Assert.Equal(expected, spec.ToEvalTensor(image));
        var slot = new float[spec.TensorLength];
        spec.WriteEvalTensor(image, slot);
        Assert.Equal(expected, slot);
    }

    [Fact]
    public void Crop_larger_than_resize_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new PreprocessSpec(8, 10).ToEvalTensor(new RgbImage(20, 20)));
    }

    [Fact]
    public void Train_tensor_is_the_seeded_crop_and_flip_of_the_same_image()
    {
        var image = TestImages.Make(30, 20, (x, y, c) => (x * 7 + y * 11 + c * 50) % 256);
        var spec = new PreprocessSpec(10, 8);
        // Same draws replayed by hand: crop box, resize, then the flip coin.
        var rng = new Random(42);
        var crop = ImageTransforms.RandomResizedCrop(image, 8, rng);
        var expected = ImageTensor.ToChw(rng.NextDouble() < 0.5 ? ImageTransforms.HorizontalFlip(crop) : crop);
        Assert.Equal(expected, spec.ToTrainTensor(image, new Random(42)));

        // Over many seeds both flipped and unflipped crops occur, and every value stays in [0, 1].
        int flips = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var r = new Random(seed);
            var c = ImageTransforms.RandomResizedCrop(image, 8, r);
            bool flip = r.NextDouble() < 0.5;
            flips += flip ? 1 : 0;
            float[] t = spec.ToTrainTensor(image, new Random(seed));
            Assert.Equal(spec.TensorLength, t.Length);
            Assert.All(t, v => Assert.InRange(v, 0f, 1f));
        }
        Assert.InRange(flips, 5, 35);
    }
}
