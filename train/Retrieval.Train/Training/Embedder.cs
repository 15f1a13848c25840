using Retrieval.Train.Data;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>Embeds a set of images with the model in eval mode (no gradients), batches prefetched in parallel.</summary>
public static class Embedder
{
    /// <summary>Row-major [count x dim] embeddings of every image of <paramref name="batches"/>, in order.</summary>
    public static float[][] Embed(nn.Module<Tensor, Tensor> model, EvalBatchBuilder batches, int imageSize, Device device, int prefetch)
    {
        var wasTraining = model.training;
        model.eval();
        var rows = new List<float[]>();
        try
        {
            using var noGrad = no_grad();
            foreach (var pixels in Prefetcher.Run(batches.Batches, batches.Build, prefetch))
            {
                using var scope = NewDisposeScope();
                var n = pixels.Length / (3 * imageSize * imageSize);
                var x = tensor(pixels, [n, 3, imageSize, imageSize]).to(device);
                var output = model.forward(x).to(CPU).contiguous();
                var dim = (int)output.shape[1];
                var flat = output.data<float>().ToArray();
                for (var i = 0; i < n; i++) rows.Add(flat.AsSpan(i * dim, dim).ToArray());
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return rows.ToArray();
    }
}
