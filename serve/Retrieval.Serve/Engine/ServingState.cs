using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Engine;

/// <summary>
/// One consistent model + gallery pair, swapped as a whole on reload. Counts its users: the engine holds one use
/// while the state is live and every request that embeds holds one while it runs, so a replaced model is disposed
/// as soon as the last request using it ends — never under a running request, never later than that.
/// </summary>
public sealed class ServingState(MicroBatcher batcher, GalleryStore gallery, string modelPath)
{
    private readonly TaskCompletionSource _unused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _users = 1;

    /// <summary>The model's micro-batcher.</summary>
    public MicroBatcher Batcher => batcher;

    /// <summary>The gallery embedded with this model.</summary>
    public GalleryStore Gallery => gallery;

    /// <summary>The model file.</summary>
    public string ModelPath => modelPath;

    /// <summary>The loaded model.</summary>
    public IEmbeddingModel Model => batcher.Model;

    /// <summary>Completes when the last use has been released (after the engine released its own).</summary>
    public Task Unused => _unused.Task;

    /// <summary>Takes a use; false once the state is unused for good (replaced and drained): read the live state again.</summary>
    public bool TryAcquire()
    {
        for (int users = Volatile.Read(ref _users); users > 0; users = Volatile.Read(ref _users))
            if (Interlocked.CompareExchange(ref _users, users + 1, users) == users) return true;
        return false;
    }

    /// <summary>Gives a use back; the last one completes <see cref="Unused"/>.</summary>
    public void Release()
    {
        int users = Interlocked.Decrement(ref _users);
        if (users == 0) _unused.TrySetResult();
        else if (users < 0) throw new InvalidOperationException("ServingState released more often than acquired.");
    }
}
