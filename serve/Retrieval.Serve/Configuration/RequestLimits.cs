using Retrieval.Core.Imaging;

namespace Retrieval.Serve.Configuration;

/// <summary>
/// What one request may cost, checked before the work starts (section "Retrieval:Limits"; each also has a switch).
/// A request over a limit is refused with a status naming the limit and the setting that raises it.
/// </summary>
public sealed class RequestLimits
{
    /// <summary>Configuration section holding these settings.</summary>
    public const string Section = $"{ServerOptions.Section}:Limits";

    /// <summary>Largest accepted gRPC message in bytes (RESOURCE_EXHAUSTED above); also the size cap of a gallery image file read at reload.</summary>
    public int MaxReceiveBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest options.k (INVALID_ARGUMENT above).</summary>
    public int MaxK { get; set; } = 1000;

    /// <summary>Largest options.ef, the HNSW beam of one search (INVALID_ARGUMENT above).</summary>
    public int MaxEf { get; set; } = 4096;

    /// <summary>Largest image, in pixels (width × height from the header; RESOURCE_EXHAUSTED above).</summary>
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>Largest long-side / short-side ratio of an image (header; RESOURCE_EXHAUSTED above): resizing the short side multiplies the long one.</summary>
    public double MaxAspectRatio { get; set; } = ImageLimits.Default.MaxAspectRatio;

    /// <summary>Images decoded and preprocessed at once in the whole server; 0 = one per processor. Others wait (their deadline still applies).</summary>
    public int MaxConcurrentDecodes { get; set; }

    /// <summary>Most items one UpsertItems or DeleteItems call, or queries one EvaluateQueries call, may carry (RESOURCE_EXHAUSTED above).</summary>
    public int MaxItemsPerCall { get; set; } = 100_000;

    /// <summary>Most encoded image bytes one UpsertItems or EvaluateQueries stream may carry in total (RESOURCE_EXHAUSTED above).</summary>
    public long MaxBytesPerCall { get; set; } = 1L << 30;

    /// <summary>Longest label, in UTF-8 bytes (INVALID_ARGUMENT above; control characters are refused at any length).</summary>
    public int MaxLabelBytes { get; set; } = 1024;

    /// <summary>Longest item image path, in UTF-8 bytes (INVALID_ARGUMENT above).</summary>
    public int MaxPathBytes { get; set; } = 1024;

    /// <summary>Largest model file ReloadModel opens, in bytes (FAILED_PRECONDITION above).</summary>
    public long MaxModelBytes { get; set; } = 2L << 30;

    /// <summary>The image limits the decoder checks on the header.</summary>
    public ImageLimits Image => new(MaxImagePixels, MaxAspectRatio);

    /// <summary>The decode concurrency in force (the configured value, or the processor count).</summary>
    public int DecodeConcurrency => MaxConcurrentDecodes > 0 ? MaxConcurrentDecodes : Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Positive(double value, string name)
        {
            if (!(value > 0)) throw new ArgumentException($"{Section}:{name} must be > 0, got {value}.");
        }
        Positive(MaxReceiveBytes, nameof(MaxReceiveBytes));
        Positive(MaxK, nameof(MaxK));
        Positive(MaxEf, nameof(MaxEf));
        Positive(MaxImagePixels, nameof(MaxImagePixels));
        Positive(MaxItemsPerCall, nameof(MaxItemsPerCall));
        Positive(MaxBytesPerCall, nameof(MaxBytesPerCall));
        Positive(MaxLabelBytes, nameof(MaxLabelBytes));
        Positive(MaxPathBytes, nameof(MaxPathBytes));
        Positive(MaxModelBytes, nameof(MaxModelBytes));
        if (!(MaxAspectRatio >= 1)) throw new ArgumentException($"{Section}:{nameof(MaxAspectRatio)} must be >= 1, got {MaxAspectRatio}.");
        if (MaxConcurrentDecodes < 0) throw new ArgumentException($"{Section}:{nameof(MaxConcurrentDecodes)} must be >= 0, got {MaxConcurrentDecodes}.");
    }
}
