using System.Buffers.Binary;
using System.Globalization;
using Retrieval.Core.IO;
using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>
/// One file of the write-ahead log, <c>wal-{first sequence:D20}.log</c>. Header (24 bytes): magic "RSWALSEG",
/// version (int32), first sequence (int64), CRC-32C of those 20 bytes. Then records, each: sequence (int64), payload
/// length (int32), CRC-32C of the payload, CRC-32C of those 16 header bytes, payload. Sequences are consecutive from
/// the first. A record is written with one write call and fsynced before <see cref="Append"/> returns.
/// </summary>
/// <remarks>
/// Reading tells a torn tail (what a crash mid-append leaves: a record cut short, or zeros after the last good
/// record) from damage: a torn tail of the newest segment is cut off; anything else is a
/// <see cref="StorageCorruptException"/> naming the file and offset. The header checksum means a flipped length can
/// never make good records behind it look like a torn tail.
/// </remarks>
internal sealed class LogSegment : IDisposable
{
    public const int FileHeaderSize = 24;
    public const int RecordHeaderSize = 20;
    private const int Version = 1;
    private const int MaxPayload = 1 << 30;
    private static readonly byte[] Magic = "RSWALSEG"u8.ToArray();

    private readonly FileStream _stream;
    private bool _broken;

    private LogSegment(string path, long first, long last, long length, FileStream stream) =>
        (Path, FirstSequence, LastSequence, Length, _stream) = (path, first, last, length, stream);

    public string Path { get; }

    public long FirstSequence { get; }

    /// <summary>Sequence of the last record (FirstSequence - 1 while the segment is empty).</summary>
    public long LastSequence { get; private set; }

    public long Length { get; private set; }

    public bool IsEmpty => LastSequence < FirstSequence;

    public static string FileName(long first) => $"wal-{first:D20}.log";

    public static bool TryParseName(string fileName, out long first)
    {
        first = 0;
        return fileName.Length == 28 && fileName.StartsWith("wal-", StringComparison.Ordinal) && fileName.EndsWith(".log", StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(4, 20), NumberStyles.None, CultureInfo.InvariantCulture, out first) && first >= 1;
    }

    /// <summary>Creates an empty segment (atomically, so a segment file always has its whole header) and opens it for appending.</summary>
    public static LogSegment Create(string directory, long first)
    {
        var path = System.IO.Path.Combine(directory, FileName(first));
        var header = new byte[FileHeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), first);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), Crc32C.Append(0, header.AsSpan(0, 20)));
        AtomicFile.WriteAllBytes(path, header);
        return OpenForAppend(path, first, first - 1, FileHeaderSize);
    }

    /// <summary>Opens a scanned segment for appending after its last good record (cutting off a torn tail).</summary>
    public static LogSegment OpenForAppend(string path, long first, long last, long goodLength)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            if (stream.Length != goodLength)
            {
                stream.SetLength(goodLength);
                stream.Flush(flushToDisk: true);
            }
            stream.Position = goodLength;
            return new LogSegment(path, first, last, goodLength, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one record and fsyncs; on failure the partial record is cut off again (or the segment refuses further writes).</summary>
    public void Append(long sequence, ReadOnlySpan<byte> payload)
    {
        if (_broken) throw new IOException($"{Path}: an earlier write failed and could not be undone; restart the server to recover the log.");
        if (sequence != LastSequence + 1) throw new InvalidOperationException($"{Path}: sequence {sequence} after {LastSequence}.");
        if (payload.Length > MaxPayload) throw new ArgumentException($"a log record holds at most {MaxPayload} bytes, got {payload.Length}.", nameof(payload));
        var record = new byte[RecordHeaderSize + payload.Length];
        BinaryPrimitives.WriteInt64LittleEndian(record, sequence);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), Crc32C.Append(0, payload));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(16), Crc32C.Append(0, record.AsSpan(0, 16)));
        payload.CopyTo(record.AsSpan(RecordHeaderSize));
        try
        {
            _stream.Write(record);
            _stream.Flush(flushToDisk: true);
        }
        catch
        {
            try
            {
                _stream.SetLength(Length);
                _stream.Position = Length;
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                _broken = true;
            }
            throw;
        }
        Length += record.Length;
        LastSequence = sequence;
    }

    /// <summary>
    /// Reads every record of a segment in order, calling <paramref name="onRecord"/> (sequence, payload, offset) for each.
    /// A torn tail is tolerated only when <paramref name="isNewest"/>; damage anywhere else throws.
    /// </summary>
    public static SegmentScan Scan(string path, bool isNewest, Action<long, byte[], long> onRecord)
    {
        if (!TryParseName(System.IO.Path.GetFileName(path), out long first))
            throw new StorageCorruptException(path, 0, "not a log segment name (wal-<20-digit sequence>.log)");
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        long length = fs.Length;
        var header = new byte[FileHeaderSize];
        if (length < FileHeaderSize) throw new StorageCorruptException(path, 0, $"{length} bytes is shorter than the {FileHeaderSize}-byte segment header");
        fs.ReadExactly(header);
        if (!header.AsSpan(0, 8).SequenceEqual(Magic)) throw new StorageCorruptException(path, 0, "not a log segment (bad magic)");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20)) != Crc32C.Append(0, header.AsSpan(0, 20)))
            throw new StorageCorruptException(path, 0, "segment header checksum mismatch");
        int version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        if (version != Version) throw new StorageCorruptException(path, 8, $"segment format version {version}, this build reads {Version}");
        if (BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(12)) != first)
            throw new StorageCorruptException(path, 12, "the header's first sequence differs from the file name");

        long offset = FileHeaderSize, expected = first;
        var head = new byte[RecordHeaderSize];
        while (offset < length)
        {
            SegmentScan Torn(string why) => isNewest
                ? new SegmentScan(first, expected - 1, offset, length - offset, why)
                : throw new StorageCorruptException(path, offset, $"{why}, but newer segments follow");
            if (length - offset < RecordHeaderSize) return Torn("a record header cut short");
            fs.ReadExactly(head);
            if (BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(16)) != Crc32C.Append(0, head.AsSpan(0, 16)))
            {
                if (isNewest && RestIsZero(fs, offset, length)) return Torn("zeros after the last record");
                throw new StorageCorruptException(path, offset, "record header checksum mismatch");
            }
            long sequence = BinaryPrimitives.ReadInt64LittleEndian(head);
            int size = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(8));
            if (sequence != expected) throw new StorageCorruptException(path, offset, $"record sequence {sequence}, expected {expected}");
            if (size is < 0 or > MaxPayload) throw new StorageCorruptException(path, offset, $"record length {size} is out of range");
            long end = offset + RecordHeaderSize + size;
            if (end > length) return Torn("the last record is cut short");
            var payload = new byte[size];
            fs.ReadExactly(payload);
            if (Crc32C.Append(0, payload) != BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)))
            {
                if (end == length) return Torn("the last record's checksum does not match (a write cut short)");
                throw new StorageCorruptException(path, offset, "record checksum mismatch");
            }
            onRecord(sequence, payload, offset);
            offset = end;
            expected++;
        }
        return new SegmentScan(first, expected - 1, offset, 0, null);
    }

    private static bool RestIsZero(FileStream fs, long offset, long length)
    {
        fs.Position = offset;
        var buffer = new byte[1 << 16];
        for (long left = length - offset; left > 0;)
        {
            int n = fs.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0 || buffer.AsSpan(0, n).ContainsAnyExcept((byte)0)) return false;
            left -= n;
        }
        return true;
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>What a scan found: the sequences present, the length of the good prefix and the torn bytes after it (with why).</summary>
internal sealed record SegmentScan(long First, long Last, long GoodLength, long TornBytes, string? TornReason);
