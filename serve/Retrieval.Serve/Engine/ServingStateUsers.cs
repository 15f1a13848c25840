namespace Retrieval.Serve.Engine;

/// <summary>
/// The live <see cref="ServingState"/> and the uses of it: the engine holds one while the state is live and every
/// request that embeds holds one while it runs, so a state a reload replaced is disposed (its ONNX session released)
/// as soon as its last such request ends — never under a running request, never later than that.
/// </summary>
public sealed class ServingStateUsers(ServingState state)
{
    private readonly TaskCompletionSource _unused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _users = 1;

    /// <summary>The state in use.</summary>
    public ServingState State => state;

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
        else if (users < 0) throw new InvalidOperationException("a serving state was released more often than acquired.");
    }
}
