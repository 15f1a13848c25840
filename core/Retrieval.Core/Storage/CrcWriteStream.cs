using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>A write-only pass-through stream that keeps the CRC-32C of everything written through it.</summary>
internal sealed class CrcWriteStream(Stream inner) : Stream
{
    public uint Crc { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Crc = Crc32C.Append(Crc, buffer);
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The CRC-32C of the first <paramref name="length"/> bytes of a readable stream (from its start).</summary>
    public static uint Of(Stream stream, long length)
    {
        stream.Position = 0;
        var buffer = new byte[1 << 20];
        uint crc = 0;
        while (length > 0)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (n == 0) throw new EndOfStreamException();
            crc = Crc32C.Append(crc, buffer.AsSpan(0, n));
            length -= n;
        }
        return crc;
    }
}
