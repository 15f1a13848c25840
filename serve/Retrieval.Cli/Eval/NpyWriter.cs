using System.Buffers.Binary;
using System.Text;
using Retrieval.Core.Data.Building;

namespace Retrieval.Cli.Eval;

/// <summary>Writes a 2-D little-endian float32 matrix as a NumPy .npy file (format 1.0), atomically.</summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="rows"/> x <paramref name="columns"/> floats (row-major) to <paramref name="path"/>.</summary>
    public static void WriteFloat32(string path, ReadOnlySpan<float> values, int rows, int columns)
    {
        if ((long)rows * columns != values.Length)
            throw new ArgumentException($"{rows} x {columns} matrix needs {(long)rows * columns} values, got {values.Length}");
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        int unpadded = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - unpadded % 64) % 64) + "\n";
        var bytes = new byte[10 + header.Length + values.Length * sizeof(float)];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        var body = bytes.AsSpan(10 + header.Length);
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(body[(i * sizeof(float))..], values[i]);
        AtomicFile.WriteAllBytes(path, bytes);
    }
}
