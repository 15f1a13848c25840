using System.Runtime.InteropServices;
using Retrieval.Study.IO;
using static TorchSharp.torch;

namespace Retrieval.Study.Heads;

/// <summary>
/// A trained head's Linear layer: weight [Output x Input] row-major and bias [Output], saved as a checksummed file.
/// </summary>
public sealed record HeadWeights(int Input, int Output, float[] Weight, float[] Bias)
{
    private static ReadOnlySpan<byte> Magic => "RSHEAD01"u8;
    private const string Recovery = "delete it to retrain the run";

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

    /// <summary>Writes the weights (<see cref="ChecksummedFile"/> "RSHEAD01": int32 input, int32 output, weight, bias).</summary>
    public void Save(string path) =>
        ChecksummedFile.Write(path, Magic, 8 + (Weight.Length + Bias.Length) * sizeof(float), body =>
        {
            BitConverter.TryWriteBytes(body, Input);
            BitConverter.TryWriteBytes(body[4..], Output);
            MemoryMarshal.AsBytes(Weight.AsSpan()).CopyTo(body[8..]);
            MemoryMarshal.AsBytes(Bias.AsSpan()).CopyTo(body[(8 + Weight.Length * sizeof(float))..]);
        });

    /// <summary>Reads weights written by <see cref="Save"/>; a corrupt or mis-sized file is an error naming it.</summary>
    public static HeadWeights Load(string path)
    {
        var body = ChecksummedFile.Read(path, Magic, Recovery);
        int input = body.Length >= 8 ? BitConverter.ToInt32(body, 0) : 0, output = body.Length >= 8 ? BitConverter.ToInt32(body, 4) : 0;
        if (input < 1 || output < 1 || 8L + ((long)input * output + output) * sizeof(float) != body.Length)
            throw new InvalidDataException($"{path}: size does not match a {output} x {input} head; {Recovery}");
        var weight = new float[input * output];
        var bias = new float[output];
        body.AsSpan(8, weight.Length * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(weight.AsSpan()));
        body.AsSpan(8 + weight.Length * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(bias.AsSpan()));
        return new HeadWeights(input, output, weight, bias);
    }
}
