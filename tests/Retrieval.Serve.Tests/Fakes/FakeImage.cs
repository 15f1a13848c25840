using System.Runtime.InteropServices;
using System.Text;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>A stand-in image encoding for service-layer tests: "FAKE", a declared pixel count, then the float vector the fake model returns.</summary>
public static class FakeImage
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("FAKE");

    /// <summary>Encodes <paramref name="vector"/> as a fake image declaring <paramref name="pixels"/> pixels.</summary>
    public static byte[] Encode(float[] vector, long pixels = 64 * 64)
    {
        var bytes = new byte[Magic.Length + sizeof(long) + vector.Length * sizeof(float)];
        Magic.CopyTo(bytes, 0);
        BitConverter.TryWriteBytes(bytes.AsSpan(Magic.Length), pixels);
        MemoryMarshal.AsBytes(vector.AsSpan()).CopyTo(bytes.AsSpan(Magic.Length + sizeof(long)));
        return bytes;
    }

    /// <summary>Decodes a fake image; null when the bytes are not one.</summary>
    public static (long Pixels, float[] Vector)? Decode(byte[] bytes)
    {
        if (bytes.Length < Magic.Length + sizeof(long) || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        var payload = bytes.AsSpan(Magic.Length + sizeof(long));
        if (payload.Length % sizeof(float) != 0) return null;
        return (BitConverter.ToInt64(bytes, Magic.Length), MemoryMarshal.Cast<byte, float>(payload).ToArray());
    }

    /// <summary>A deterministic random unit-free vector for item <paramref name="seed"/>.</summary>
    public static float[] Vector(int seed, int dimension)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
