using System.Security.Cryptography;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>Loads a "model file" holding the text "sign=±1": identity is the file's SHA-256, embeddings are the fake image's vector times the sign.</summary>
public sealed class FakeModelLoader(int dimension, TimeSpan delay = default) : IModelLoader
{
    /// <summary>Every model loaded so far.</summary>
    public List<FakeModel> Loaded { get; } = [];

    /// <summary>Writes a model file with the given sign.</summary>
    public static string Write(string path, float sign)
    {
        File.WriteAllText(path, $"sign={sign}");
        return path;
    }

    /// <inheritdoc />
    public IEmbeddingModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model file not found: {path}");
        var bytes = File.ReadAllBytes(path);
        var sign = float.Parse(File.ReadAllText(path).Split('=')[1]);
        var info = new ModelInfo(Convert.ToHexStringLower(SHA256.HashData(bytes)), 64, dimension, new Dictionary<string, string> { ["name"] = "fake" });
        var model = new FakeModel(info, sign, delay);
        lock (Loaded) Loaded.Add(model);
        return model;
    }
}
