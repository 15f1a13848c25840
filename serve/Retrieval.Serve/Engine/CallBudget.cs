using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Engine;

/// <summary>Counts the items and image bytes one streaming call has sent and refuses the one that goes over a per-call cap.</summary>
public sealed class CallBudget(RequestLimits limits, string what)
{
    private long _bytes;

    /// <summary>Items counted so far.</summary>
    public int Items { get; private set; }

    /// <summary>Counts one more item of <paramref name="bytes"/> image bytes; RESOURCE_EXHAUSTED past MaxItemsPerCall or MaxBytesPerCall.</summary>
    public void Add(long bytes)
    {
        if (Items == limits.MaxItemsPerCall)
            throw new RequestException(RequestError.ResourceExhausted,
                $"the call sent more than {limits.MaxItemsPerCall} {what} ({ServerOptions.LimitSetting(nameof(RequestLimits.MaxItemsPerCall))}); split it into several calls.");
        Items++;
        _bytes += bytes;
        if (_bytes > limits.MaxBytesPerCall)
            throw new RequestException(RequestError.ResourceExhausted,
                $"the call sent more than {limits.MaxBytesPerCall} image bytes ({ServerOptions.LimitSetting(nameof(RequestLimits.MaxBytesPerCall))}); split it into several calls.");
    }
}
