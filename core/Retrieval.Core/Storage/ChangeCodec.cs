using System.Runtime.InteropServices;

namespace Retrieval.Core.Storage;

/// <summary>
/// The binary form of a <see cref="CollectionChange"/> (the payload of one log record), little-endian: kind (byte),
/// count (int32), then per upserted item its id (int64), metadata (<see cref="MetadataCodec"/>), vector length (int32)
/// and floats, or per deleted id an int64.
/// </summary>
public static class ChangeCodec
{
    /// <summary>Encodes a change.</summary>
    public static byte[] Encode(CollectionChange change)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, MetadataCodec.Utf8, leaveOpen: true))
        {
            w.Write((byte)change.Kind);
            w.Write(change.Size);
            if (change.Kind == ChangeKind.Upsert)
            {
                foreach (var item in change.Items)
                {
                    w.Write(item.Id);
                    MetadataCodec.Write(w, item.Metadata);
                    w.Write(item.Vector.Length);
                    w.Write(MemoryMarshal.AsBytes(item.Vector.AsSpan()));
                }
            }
            else
            {
                foreach (long id in change.Ids) w.Write(id);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Decodes a change; throws <see cref="InvalidDataException"/> when the bytes are not one.</summary>
    public static CollectionChange Decode(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload, writable: false), MetadataCodec.Utf8);
        try
        {
            var kind = (ChangeKind)r.ReadByte();
            int count = r.ReadInt32();
            if (count < 0 || count > payload.Length) throw new InvalidDataException($"item count {count} does not fit {payload.Length} bytes");
            CollectionChange change;
            if (kind == ChangeKind.Upsert)
            {
                var items = new VectorItem[count];
                for (int i = 0; i < count; i++)
                {
                    long id = r.ReadInt64();
                    var metadata = MetadataCodec.Read(r);
                    int length = r.ReadInt32();
                    if (length < 0 || (long)length * sizeof(float) > payload.Length) throw new InvalidDataException($"vector length {length} does not fit the record");
                    var vector = new float[length];
                    r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(vector.AsSpan()));
                    items[i] = new VectorItem(id, metadata, vector);
                }
                change = CollectionChange.Upsert(items);
            }
            else if (kind == ChangeKind.Delete)
            {
                var ids = new long[count];
                for (int i = 0; i < count; i++) ids[i] = r.ReadInt64();
                change = CollectionChange.Delete(ids);
            }
            else throw new InvalidDataException($"unknown change kind {(byte)kind}");
            if (r.BaseStream.Position != payload.Length) throw new InvalidDataException($"{payload.Length - r.BaseStream.Position} bytes left after the change");
            return change;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the change ends early");
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new InvalidDataException("a text field is not valid UTF-8");
        }
    }
}
