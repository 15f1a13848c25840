using Retrieval.Train.Export;
using Retrieval.Train.Models;
using static TorchSharp.torch;

namespace Retrieval.Serve.Tests.Service;

/// <summary>A tiny seeded resnet-small (32 px input, 16-d embeddings) exported to ONNX for tests that run the real server (TorchSharp collection).</summary>
internal static class TinyOnnxModel
{
    /// <summary>Embedding size of the exported model.</summary>
    public const int Dimension = 16;

    /// <summary>Exports the model to <paramref name="path"/> and returns the path.</summary>
    public static string Export(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = EmbeddingNetwork.Create(new ModelConfig(BackboneNames.ResNetSmall, Dimension, 32, [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]));
        net.eval();
        OnnxExporter.Export(net, path, new ModelExportInfo(40, "test", "serve-tests", new Dictionary<string, double>(), "test"));
        return path;
    }
}
