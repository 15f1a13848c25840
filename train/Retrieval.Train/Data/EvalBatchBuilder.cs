using Retrieval.Core.Imaging;

namespace Retrieval.Train.Data;

/// <summary>Evaluation batches: core's centre-crop preprocessing (<see cref="PreprocessSpec"/>), decoded in parallel.</summary>
public sealed class EvalBatchBuilder
{
    private readonly ImageStore _images;
    private readonly PreprocessSpec _spec;
    private readonly int _batchSize;

    public EvalBatchBuilder(ImageStore images, PreprocessSpec spec, int batchSize)
    {
        _images = images;
        _spec = spec;
        _batchSize = batchSize;
    }

    public int Batches => (_images.Count + _batchSize - 1) / _batchSize;

    /// <summary>Batch <paramref name="batchIndex"/>: items [b*size, min((b+1)*size, count)) as NCHW floats.</summary>
    public float[] Build(int batchIndex)
    {
        var start = batchIndex * _batchSize;
        var count = Math.Min(_batchSize, _images.Count - start);
        var plane = 3 * _spec.CropSize * _spec.CropSize;
        var pixels = new float[count * plane];
        Parallel.For(0, count, i => _spec.WriteEvalTensor(_images.Get(start + i), pixels.AsSpan(i * plane, plane)));
        return pixels;
    }
}
