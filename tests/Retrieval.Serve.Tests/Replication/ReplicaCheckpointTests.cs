using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

public sealed class ReplicaCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("replica-checkpoint-").FullName;

    [Fact]
    public void Round_trips_and_is_absent_until_written()
    {
        Assert.Null(ReplicaCheckpoint.Read(_folder));
        var checkpoint = new ReplicaCheckpoint(Guid.NewGuid(), 42);
        checkpoint.Write(_folder);
        Assert.Equal(checkpoint, ReplicaCheckpoint.Read(_folder));
        (checkpoint with { Sequence = 43 }).Write(_folder);
        Assert.Equal(43, ReplicaCheckpoint.Read(_folder)!.Sequence);
    }

    [Fact]
    public void Every_flipped_byte_or_truncation_is_a_clear_error_naming_the_file()
    {
        new ReplicaCheckpoint(Guid.NewGuid(), 123456).Write(_folder);
        var path = Path.Combine(_folder, ReplicaCheckpoint.FileName);
        var good = File.ReadAllBytes(path);
        for (int i = 0; i < good.Length; i++)
        {
            var bad = (byte[])good.Clone();
            bad[i] ^= 0x04;
            File.WriteAllBytes(path, bad);
            var e = Assert.Throws<InvalidDataException>(() => ReplicaCheckpoint.Read(_folder));
            Assert.Contains(path, e.Message);
        }
        File.WriteAllBytes(path, good[..(good.Length / 2)]);
        Assert.Throws<InvalidDataException>(() => ReplicaCheckpoint.Read(_folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
