using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>
/// Reads a safetensors file (8-byte little-endian header length, JSON header of name -> dtype/shape/data_offsets,
/// then the raw data). F32, F16, BF16 and F64 become float32 tensors; I64 stays int64. Any inconsistency is an
/// <see cref="InvalidDataException"/> naming the file and the tensor.
/// </summary>
public static class SafeTensorsReader
{
    /// <summary>Every tensor in <paramref name="path"/> by name (the "__metadata__" entry is skipped).</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw Bad(path, "file is shorter than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw Bad(path, $"header length {headerLength} exceeds the file size {bytes.Length}");
        var dataStart = 8 + (int)headerLength;
        JsonDocument header;
        try { header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw Bad(path, $"header is not valid JSON ({e.Message})"); }
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
            var result = new Dictionary<string, Tensor>();
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                result[entry.Name] = ReadTensor(path, entry, bytes.AsSpan(dataStart));
            }
            return result;
        }
    }

    private static Tensor ReadTensor(string path, JsonProperty entry, ReadOnlySpan<byte> data)
    {
        string dtype;
        long[] shape;
        long begin, end;
        try
        {
            dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2) throw Bad(path, $"tensor '{entry.Name}': data_offsets must hold 2 numbers");
            (begin, end) = (offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad(path, $"tensor '{entry.Name}': missing or malformed dtype/shape/data_offsets ({e.Message})");
        }
        var elementSize = dtype switch
        {
            "F32" => 4, "F16" => 2, "BF16" => 2, "F64" => 8, "I64" => 8,
            _ => throw Bad(path, $"tensor '{entry.Name}': dtype '{dtype}' is not supported (F32, F16, BF16, F64, I64)"),
        };
        if (shape.Any(d => d < 0)) throw Bad(path, $"tensor '{entry.Name}': negative dimension in shape");
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (begin < 0 || end < begin || end > data.Length)
            throw Bad(path, $"tensor '{entry.Name}': data_offsets [{begin},{end}] lie outside the data section ({data.Length} bytes)");
        if (end - begin != count * elementSize)
            throw Bad(path, $"tensor '{entry.Name}': {end - begin} bytes for shape [{string.Join(",", shape)}] of {dtype} (expected {count * elementSize})");
        var raw = data.Slice((int)begin, (int)(end - begin));
        if (dtype == "I64")
        {
            var longs = new long[count];
            for (var i = 0; i < count; i++) longs[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]);
            return tensor(longs).reshape(shape);
        }
        var floats = new float[count];
        for (var i = 0; i < count; i++)
        {
            floats[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]) << 16),
            };
            if (!float.IsFinite(floats[i])) throw Bad(path, $"tensor '{entry.Name}': element {i} is not finite");
        }
        return tensor(floats).reshape(shape);
    }

    private static InvalidDataException Bad(string path, string problem) => new($"{path}: not a valid safetensors file: {problem}.");
}
