using Retrieval.Core.Imaging;
using Retrieval.Inference;

namespace Retrieval.Cli.Eval;

/// <summary>
/// Embeds image files with an <see cref="OnnxEmbedder"/> through core's evaluation pipeline (decode, resize shorter side,
/// centre crop): each batch is decoded in parallel, then run through ONNX Runtime in one call.
/// </summary>
public static class ImageBatchEmbedder
{
    /// <summary>Returns [paths.Count, E] flattened embeddings in path order; reports (done, total) after every batch.</summary>
    public static float[] Embed(OnnxEmbedder embedder, IReadOnlyList<string> paths, int batchSize, int threads, Action<int, int>? progress = null)
    {
        var spec = new PreprocessSpec(embedder.Info.ResizeSize, embedder.Info.ImageSize);
        spec.Validate();
        int dim = embedder.Info.EmbeddingSize, perImage = spec.TensorLength;
        var result = new float[(long)paths.Count * dim];
        var batch = new float[(long)Math.Min(batchSize, Math.Max(1, paths.Count)) * perImage];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        progress?.Invoke(0, paths.Count);
        for (int start = 0; start < paths.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, paths.Count - start);
            Parallel.For(0, n, parallel, i =>
                spec.WriteEvalTensor(ImageDecoder.DecodeFile(paths[start + i]), batch.AsSpan(i * perImage, perImage)));
            embedder.Embed(batch.AsSpan(0, n * perImage), n).CopyTo(result, (long)start * dim);
            progress?.Invoke(start + n, paths.Count);
        }
        return result;
    }
}
