using Retrieval.Core.Imaging;
using Retrieval.Train.Data;
using Retrieval.Train.Models;
using Retrieval.Train.Training;
using static TorchSharp.torch;

namespace Retrieval.Study.Features;

/// <summary>Embeds images with the frozen backbone (eval mode, centre crop), in chunks so that long runs report progress.</summary>
public static class FeatureExtractor
{
    private const int Chunk = 1024;

    /// <summary>The network whose backbone is frozen: retrieval-train's network for the same settings.</summary>
    public static EmbeddingNetwork Network(ExtractorSettings settings, Action<string> log)
    {
        var options = new TrainOptions { DataRoot = "-", Backbone = settings.Backbone, Pretrained = settings.Pretrained, ImageSize = settings.ImageSize, EmbeddingSize = 128 };
        lock (StudyRandom.InitLock)
        {
            random.manual_seed(settings.Seed);
            return NetworkBuilder.Build(options, log);
        }
    }

    /// <summary>Row-major features of every image in <paramref name="paths"/>, in order.</summary>
    public static float[] Extract(ExtractorSettings settings, IReadOnlyList<string> paths, Action<string> log)
    {
        using var network = Network(settings, log);
        using var features = new BackboneFeatures(network);
        var spec = new PreprocessSpec(settings.ImageSize, settings.ImageSize);
        var result = new float[paths.Count * features.Dimension];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var start = 0; start < paths.Count; start += Chunk)
        {
            var count = Math.Min(Chunk, paths.Count - start);
            var store = new ImageStore(paths.Skip(start).Take(count).ToList(), 0);
            var rows = Embedder.Embed(features, new EvalBatchBuilder(store, spec, 128), settings.ImageSize, CPU, 2);
            for (var i = 0; i < rows.Length; i++) rows[i].CopyTo(result, (start + i) * features.Dimension);
            log($"features: {start + count}/{paths.Count} images ({(start + count) / clock.Elapsed.TotalSeconds:F0} img/s)");
        }
        return result;
    }
}
