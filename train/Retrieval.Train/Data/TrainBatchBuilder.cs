using Retrieval.Core.Imaging;

namespace Retrieval.Train.Data;

/// <summary>
/// Turns a planned batch of item indices into a <see cref="TrainBatch"/>: every image comes from the
/// <see cref="ImageStore"/>, gets core's RandomResizedCrop and a horizontal flip with probability 1/2,
/// and is written as CHW floats. Items are processed in parallel; each uses its own Random seeded from
/// (seed, epoch, batch, slot), so the pixels do not depend on thread scheduling.
/// </summary>
public sealed class TrainBatchBuilder
{
    private readonly ImageStore _images;
    private readonly IReadOnlyList<int> _labels;
    private readonly int _imageSize;
    private readonly double _scaleMin;
    private readonly int _seed;

    public TrainBatchBuilder(ImageStore images, IReadOnlyList<int> labels, int imageSize, double scaleMin, int seed)
    {
        _images = images;
        _labels = labels;
        _imageSize = imageSize;
        _scaleMin = scaleMin;
        _seed = seed;
    }

    /// <summary>Builds batch <paramref name="batchIndex"/> of <paramref name="epoch"/> from its item indices.</summary>
    public TrainBatch Build(int epoch, int batchIndex, IReadOnlyList<int> items)
    {
        var plane = 3 * _imageSize * _imageSize;
        var pixels = new float[items.Count * plane];
        var labels = new long[items.Count];
        Parallel.For(0, items.Count, slot =>
        {
            var rng = new Random(SeedMix.Combine(_seed, epoch, batchIndex, slot + 1));
            var image = ImageTransforms.RandomResizedCrop(_images.Get(items[slot]), _imageSize, rng, (_scaleMin, 1.0));
            if (rng.NextDouble() < 0.5) image = ImageTransforms.HorizontalFlip(image);
            ImageTensor.WriteChw(image, pixels.AsSpan(slot * plane, plane));
            labels[slot] = _labels[items[slot]];
        });
        return new TrainBatch(pixels, labels, _imageSize);
    }
}
