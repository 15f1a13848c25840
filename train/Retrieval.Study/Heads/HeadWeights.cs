using System.Security.Cryptography;
using Retrieval.Core.IO;
using static TorchSharp.torch;

namespace Retrieval.Study.Heads;

/// <summary>
/// A trained head's Linear layer: weight [Output x Input] row-major and bias [Output]. Saved as "RSHEAD01", int32
/// input, int32 output, the floats, then a SHA-256 of everything before (atomic write; a corrupt file is an error naming it).
/// </summary>
public sealed record HeadWeights(int Input, int Output, float[] Weight, float[] Bias)
{
    private static readonly byte[] Magic = "RSHEAD01"u8.ToArray();

    /// <summary>L2-normalised embeddings [rows x Output] of row-major <paramref name="features"/> [rows x Input].</summary>
    public float[] Embed(float[] features)
    {
        if (features.Length % Input != 0) throw new ArgumentException($"features are not rows of {Input}", nameof(features));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(features, [features.Length / Input, Input]);
        var y = x.matmul(tensor(Weight, [Output, Input]).t()) + tensor(Bias);
        return nn.functional.normalize(y, p: 2, dim: 1).contiguous().data<float>().ToArray();
    }

    public void Save(string path)
    {
        var bytes = new byte[16 + (Weight.Length + Bias.Length) * sizeof(float) + 32];
        Magic.CopyTo(bytes, 0);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), Input);
        BitConverter.TryWriteBytes(bytes.AsSpan(12), Output);
        Buffer.BlockCopy(Weight, 0, bytes, 16, Weight.Length * sizeof(float));
        Buffer.BlockCopy(Bias, 0, bytes, 16 + Weight.Length * sizeof(float), Bias.Length * sizeof(float));
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        AtomicFile.WriteAllBytes(path, bytes);
    }

    public static HeadWeights Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16 + 32 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a head weights file; delete it to retrain the run");
        int input = BitConverter.ToInt32(bytes, 8), output = BitConverter.ToInt32(bytes, 12);
        if (input < 1 || output < 1 || 16L + ((long)input * output + output) * sizeof(float) + 32 != bytes.Length)
            throw new InvalidDataException($"{path}: size does not match a {output} x {input} head; delete it to retrain the run");
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new InvalidDataException($"{path}: checksum mismatch (corrupt); delete it to retrain the run");
        var weight = new float[input * output];
        var bias = new float[output];
        Buffer.BlockCopy(bytes, 16, weight, 0, weight.Length * sizeof(float));
        Buffer.BlockCopy(bytes, 16 + weight.Length * sizeof(float), bias, 0, bias.Length * sizeof(float));
        return new HeadWeights(input, output, weight, bias);
    }
}
