namespace Retrieval.Serve.Replication;

/// <summary>How a <see cref="ChangeFollower"/> reads the shared gallery.</summary>
public sealed class FollowerOptions
{
    /// <summary>Item rows read per query (bounds the memory of a catch-up).</summary>
    public int PageRows { get; init; } = 1000;

    /// <summary>Longest wait for a notification before reading anyway (the safety net for a missed one).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before reconnecting after the database was lost; doubles up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PageRows, 1);
        if (PollInterval <= TimeSpan.Zero || RetryMin <= TimeSpan.Zero || RetryMax < RetryMin)
            throw new ArgumentException("follower intervals must be positive and RetryMax >= RetryMin.");
    }
}
