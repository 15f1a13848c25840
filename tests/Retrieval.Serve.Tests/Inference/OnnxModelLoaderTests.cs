using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Inference;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Inference;

/// <summary>The model loader opens only regular files up to the size cap, and its hashing stops when the call is cancelled.</summary>
public sealed class OnnxModelLoaderTests : TempDirectoryTest
{

    private static OnnxModelLoader Loader(long maxModelBytes = 2L << 30) =>
        new(Options.Create(new ServerOptions { Limits = new RequestLimits { MaxModelBytes = maxModelBytes } }), NullLogger<OnnxModelLoader>.Instance);

    [Fact]
    public void DevicesAndFifosAreRefusedBeforeTheyAreOpened()
    {
        var zero = Path.Combine(Dir, "zero.onnx");
        File.CreateSymbolicLink(zero, "/dev/zero");
        var fifo = Path.Combine(Dir, "fifo.onnx");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));

        var clock = Stopwatch.StartNew();
        Assert.Contains("not a regular file", Assert.Throws<IOException>(() => Loader().Load(zero)).Message);
        // Opening a FIFO for reading would block until a writer came: the loader must not get that far.
        Assert.Contains("not a regular file", Assert.Throws<IOException>(() => Loader().Load(fifo)).Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Throws<FileNotFoundException>(() => Loader().Load(Path.Combine(Dir, "absent.onnx")));
    }

    [Fact]
    public void FilesOverTheSizeCapAreRefused()
    {
        var big = Path.Combine(Dir, "big.onnx");
        using (var stream = File.Create(big)) stream.SetLength(4096);
        Assert.Contains("above the limit of 1024", Assert.Throws<IOException>(() => Loader(1024).Load(big)).Message);
    }

    [Fact]
    public void HashingStopsWhenTheCallIsCancelled()
    {
        var large = Path.Combine(Dir, "large.onnx");
        using (var stream = File.Create(large)) stream.SetLength(1L << 30); // sparse: 1 GiB to hash, nothing on disk
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => Loader().Load(large, cancelled.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
