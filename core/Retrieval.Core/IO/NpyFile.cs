using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;


namespace Retrieval.Core.IO;

/// <summary>Reads and writes 2-D little-endian NumPy .npy arrays (float32 or int64, C order, format 1.0); writes are atomic.</summary>
public static partial class NpyFile
{
    /// <summary>Writes rows x cols float32 values.</summary>
    public static void Write(string path, ReadOnlySpan<float> data, int rows, int cols) =>
        Write(path, MemoryMarshal.AsBytes(data), "<f4", rows, cols);

    /// <summary>Writes rows x cols int64 values.</summary>
    public static void Write(string path, ReadOnlySpan<long> data, int rows, int cols) =>
        Write(path, MemoryMarshal.AsBytes(data), "<i8", rows, cols);

    /// <summary>Reads a 2-D float32 array; throws InvalidDataException naming the file and the problem.</summary>
    public static (float[] Data, int Rows, int Cols) ReadFloat32(string path)
    {
        using var fs = File.OpenRead(path);
        var prefix = new byte[10];
        if (fs.Read(prefix) != 10 || prefix[0] != 0x93 || Encoding.ASCII.GetString(prefix, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file");
        int headerLength = prefix[6] == 1 ? BitConverter.ToUInt16(prefix, 8) : throw new InvalidDataException($"{path}: .npy format {prefix[6]} is not supported (1.0 only)");
        var header = new byte[headerLength];
        fs.ReadExactly(header);
        string text = Encoding.ASCII.GetString(header);
        if (!text.Contains("'descr': '<f4'")) throw new InvalidDataException($"{path}: dtype must be float32 ('<f4'); header: {text.Trim()}");
        if (!text.Contains("'fortran_order': False")) throw new InvalidDataException($"{path}: Fortran-order arrays are not supported");
        var shape = ShapePattern().Match(text);
        if (!shape.Success) throw new InvalidDataException($"{path}: expected a 2-D array; header: {text.Trim()}");
        int rows = int.Parse(shape.Groups[1].Value), cols = int.Parse(shape.Groups[2].Value);
        var data = new float[checked(rows * cols)];
        try
        {
            fs.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: truncated ({rows} x {cols} floats expected)");
        }
        return (data, rows, cols);
    }

    private static void Write(string path, ReadOnlySpan<byte> bytes, string descr, int rows, int cols)
    {
        if ((long)rows * cols * (descr == "<f4" ? sizeof(float) : sizeof(long)) != bytes.Length)
            throw new ArgumentException($"a {rows} x {cols} {descr} array needs {(long)rows * cols} values");
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        int total = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - total % 64) % 64) + "\n";
        var file = new byte[10 + header.Length + bytes.Length];
        file[0] = 0x93;
        "NUMPY"u8.CopyTo(file.AsSpan(1));
        file[6] = 1;
        BitConverter.TryWriteBytes(file.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, file.AsSpan(10));
        bytes.CopyTo(file.AsSpan(10 + header.Length));
        AtomicFile.WriteAllBytes(path, file);
    }

    [GeneratedRegex(@"'shape': \((\d+), (\d+)\)")]
    private static partial Regex ShapePattern();
}
