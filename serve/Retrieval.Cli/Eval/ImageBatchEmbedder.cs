using System.Runtime.ExceptionServices;
using Retrieval.Core.Imaging;
using Retrieval.OnnxRuntime;

namespace Retrieval.Cli.Eval;

/// <summary>
/// Embeds image files with an <see cref="OnnxEmbedder"/> through the model's own evaluation preprocessing (core's decode,
/// resize shorter side, centre crop). Pipelined: while ONNX Runtime runs one batch, the next is decoded in parallel.
/// </summary>
public static class ImageBatchEmbedder
{
    /// <summary>
    /// Returns [paths.Count, E] flattened embeddings in path order; reports (done, total) after every batch. A file that
    /// cannot be decoded throws its <see cref="ImageDecodeException"/> (naming the file), not an AggregateException.
    /// </summary>
    public static float[] Embed(OnnxEmbedder embedder, IReadOnlyList<string> paths, int batchSize, int threads, Action<int, int>? progress = null)
    {
        var spec = embedder.Info.Preprocess;
        int dim = embedder.Info.EmbeddingSize, perImage = spec.TensorLength, count = paths.Count;
        var result = new float[(long)count * dim];
        long bufferLength = (long)Math.Min(batchSize, Math.Max(1, count)) * perImage;
        float[][] buffers = [new float[bufferLength], new float[bufferLength]];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };

        Task Decode(int start, float[] buffer) => Task.Run(() =>
            Parallel.For(0, Math.Min(batchSize, count - start), parallel, i =>
                spec.WriteEvalTensor(ImageDecoder.DecodeFile(paths[start + i]), buffer.AsSpan(i * perImage, perImage))));

        progress?.Invoke(0, count);
        var pending = count > 0 ? Decode(0, buffers[0]) : Task.CompletedTask;
        for (int start = 0, slot = 0; start < count; start += batchSize, slot ^= 1)
        {
            Await(pending);
            int n = Math.Min(batchSize, count - start), next = start + batchSize;
            pending = next < count ? Decode(next, buffers[slot ^ 1]) : Task.CompletedTask;
            embedder.Embed(buffers[slot].AsSpan(0, n * perImage), n).CopyTo(result, (long)start * dim);
            progress?.Invoke(start + n, count);
        }
        return result;
    }

    /// <summary>Waits for a decode task and rethrows its first failure unwrapped.</summary>
    private static void Await(Task task)
    {
        try
        {
            task.Wait();
        }
        catch (AggregateException e)
        {
            var first = e.Flatten().InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
