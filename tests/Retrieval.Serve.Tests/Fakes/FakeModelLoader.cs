using System.Security.Cryptography;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>
/// Loads a "model file" holding the text "sign=±1": identity is the file's SHA-256, embeddings are the fake image's
/// vector times the sign. Opens files with the server's <see cref="RegularFile"/> rules, as the ONNX loader does.
/// </summary>
public sealed class FakeModelLoader(int dimension) : IModelLoader
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
    public IEmbeddingModel Load(string path, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        using (var stream = RegularFile.Open(path, 1 << 20))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        if (!text.StartsWith("sign=", StringComparison.Ordinal)) throw new InvalidDataException($"{path}: not a fake model ({text[..Math.Min(20, text.Length)]})");
        var sign = float.Parse(text.Split('=')[1]);
        var info = new ModelInfo(Convert.ToHexStringLower(SHA256.HashData(bytes)), 64, dimension, new Dictionary<string, string> { ["name"] = "fake" });
        var model = new FakeModel(info, sign);
        lock (Loaded) Loaded.Add(model);
        return model;
    }
}
