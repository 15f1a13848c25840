using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;
using Retrieval.Core.IO;

namespace Retrieval.Train.Models;

/// <summary>Writes named tensors to a safetensors file (float tensors as F32, integer tensors as I64), atomically.</summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (name order kept) to <paramref name="path"/> via a temporary file and rename.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var header = new Dictionary<string, object>();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            var t = value.detach().cpu().contiguous();
            byte[] blob;
            string dtype;
            if (!t.is_floating_point())
            {
                var longs = t.to_type(ScalarType.Int64).data<long>().ToArray();
                blob = new byte[longs.Length * 8];
                for (var i = 0; i < longs.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(i * 8), longs[i]);
                dtype = "I64";
            }
            else
            {
                var floats = t.to_type(ScalarType.Float32).data<float>().ToArray();
                blob = new byte[floats.Length * 4];
                for (var i = 0; i < floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(blob.AsSpan(i * 4), floats[i]);
                dtype = "F32";
            }
            header[name] = new { dtype, shape = t.shape, data_offsets = new[] { offset, offset + blob.Length } };
            offset += blob.Length;
            blobs.Add(blob);
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
            stream.Write(length);
            stream.Write(json);
            foreach (var blob in blobs) stream.Write(blob);
        });
    }
}
