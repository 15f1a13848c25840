using Retrieval.Core.Storage;
using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.Storage;

public sealed class WriteAheadLogTests : TempTreeTest
{
    private const int FileHeader = 24;   // LogSegment: magic, version, first sequence, CRC
    private const int RecordHeader = 20; // LogSegment: sequence, length, payload CRC, header CRC
    private readonly List<string> _warnings = [];

    private static byte[] Payload(int i) => Enumerable.Range(0, 7 + 13 * i).Select(b => (byte)(b * 31 + i)).ToArray();

    private WriteAheadLog Open(long after, List<(long Seq, byte[] Payload)> seen) =>
        WriteAheadLog.Open(Tree.Root, after, (seq, payload, _, _) => seen.Add((seq, payload)), _warnings.Add);

    private List<(long Seq, byte[] Payload)> Replay(long after = 0)
    {
        var seen = new List<(long, byte[])>();
        Open(after, seen).Dispose();
        return seen;
    }

    /// <summary>Five records in two segments: 1-3 sealed, 4-5 in the newest.</summary>
    private void WriteFive()
    {
        using var log = Open(0, []);
        for (int i = 1; i <= 3; i++) Assert.Equal(i, log.Append(Payload(i)));
        Assert.Equal(3, log.Seal());
        for (int i = 4; i <= 5; i++) Assert.Equal(i, log.Append(Payload(i)));
    }

    private string[] Segments() => Directory.GetFiles(Tree.Root, "wal-*.log").Order().ToArray();

    [Fact]
    public void AppendedRecordsReplayInOrderAfterTheSnapshotSequence()
    {
        WriteFive();
        Assert.Equal(2, Segments().Length);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), Replay().Select(r => r.Seq));
        var after3 = Replay(3);
        Assert.Equal([4L, 5], after3.Select(r => r.Seq));
        Assert.Equal(Payload(4), after3[0].Payload);
        Assert.Single(Segments()); // the sealed segment is covered by sequence 3 and dropped at open
        Assert.Empty(_warnings);
    }

    [Fact]
    public void AppendsContinueAfterReopenAndDropThroughKeepsWhatASnapshotDoesNotCover()
    {
        WriteFive();
        using (var log = Open(0, []))
        {
            Assert.Equal(6, log.Append(Payload(6)));
            log.Seal();
            log.Append(Payload(7));
            log.DropThrough(5); // segment 1-3 goes, 4-6 stays (6 is not covered)
            Assert.Equal(2, Segments().Length);
            log.DropThrough(6);
            Assert.Single(Segments());
        }
        Assert.Equal([7L], Replay(6).Select(r => r.Seq));
    }

    [Fact]
    public void AdvanceToSkipsSequencesCoveredByAReplacementSnapshot()
    {
        WriteFive();
        using (var log = Open(0, []))
        {
            log.AdvanceTo(9);
            log.DropThrough(9);
            Assert.Equal(10, log.Append(Payload(10)));
        }
        Assert.Equal([10L], Replay(9).Select(r => r.Seq));
        Assert.Contains("gap", Assert.Throws<StorageCorruptException>(() => Replay(5)).Message);
    }

    [Fact]
    public void ATruncatedNewestSegmentLosesOnlyItsCutRecordAtEveryLength()
    {
        WriteFive();
        var newest = Segments()[^1];
        var bytes = File.ReadAllBytes(newest);
        int record4End = FileHeader + RecordHeader + Payload(4).Length;
        for (int length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(newest, bytes[..length]);
            if (length < FileHeader)
            {
                // the header is written atomically with the file: a short one is damage, not a torn append
                Assert.Contains(newest, Assert.Throws<StorageCorruptException>(() => Replay()).Message);
                continue;
            }
            var seen = Replay();
            int kept = length >= record4End ? 4 : 3;
            Assert.Equal(Enumerable.Range(1, kept).Select(i => (long)i), seen.Select(r => r.Seq));
            Assert.All(seen, r => Assert.Equal(Payload((int)r.Seq), r.Payload));
            Assert.Equal(kept == 4 ? record4End : FileHeader, new FileInfo(newest).Length);
        }
    }

    [Fact]
    public void AFlippedByteAnywhereIsRefusedWithFileAndOffsetOrCutsOnlyTheNewestRecord()
    {
        WriteFive();
        var originals = Segments().ToDictionary(p => p, File.ReadAllBytes);
        foreach (var (path, bytes) in originals)
        {
            for (int at = 0; at < bytes.Length; at++)
            {
                foreach (var (p, b) in originals) File.WriteAllBytes(p, b);
                var damaged = (byte[])bytes.Clone();
                damaged[at] ^= (byte)(1 << (at % 8));
                File.WriteAllBytes(path, damaged);
                try
                {
                    var seen = Replay();
                    // accepted only as the newest record cut off, everything before it intact
                    Assert.Equal(originals.Keys.Last(), path);
                    Assert.Equal([1L, 2, 3, 4], seen.Select(r => r.Seq));
                    Assert.All(seen, r => Assert.Equal(Payload((int)r.Seq), r.Payload));
                }
                catch (StorageCorruptException e)
                {
                    Assert.Equal(path, e.File);
                    Assert.Contains("offset", e.Message);
                    Assert.InRange(e.Offset, 0, at);
                }
            }
        }
    }

    [Fact]
    public void ZerosAfterTheLastRecordAreATornTailButGarbageIsNot()
    {
        WriteFive();
        var newest = Segments()[^1];
        var good = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, [.. good, .. new byte[100]]);
        Assert.Equal(5, Replay().Count);
        Assert.Single(_warnings);
        Assert.Equal(good.Length, new FileInfo(newest).Length);
        File.WriteAllBytes(newest, [.. good, .. Enumerable.Repeat((byte)7, 30)]);
        Assert.Contains("record header checksum", Assert.Throws<StorageCorruptException>(() => Replay()).Message);
    }
}
