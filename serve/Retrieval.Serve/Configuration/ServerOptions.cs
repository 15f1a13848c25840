using Retrieval.Core.Search;

namespace Retrieval.Serve.Configuration;

/// <summary>Server settings, bound from the "Retrieval" section of appsettings and from command-line switches.</summary>
public sealed class ServerOptions
{
    /// <summary>Configuration section holding these settings.</summary>
    public const string Section = "Retrieval";

    /// <summary>Path of model.onnx.</summary>
    public string Model { get; set; } = "";

    /// <summary>Data root holding an In-Shop style list_eval_partition.txt; its gallery rows seed a new index.</summary>
    public string? Data { get; set; }

    /// <summary>Gallery folder: snapshot, write-ahead log and the model they were embedded with (default: gallery/ beside the model).</summary>
    public string? Index { get; set; }

    /// <summary>An old single-file gallery (gallery.idx) to migrate once into a new gallery folder.</summary>
    public string? MigrateFrom { get; set; }

    /// <summary>
    /// The gallery's source of truth: "local" (default: the gallery folder alone) or a PostgreSQL URL / connection
    /// string that replicas share (each keeps its folder as a following copy). Also read from $RETRIEVAL_STORE; never
    /// logged (it may hold a password).
    /// </summary>
    public string? Store { get; set; }

    /// <summary>Environment variable that sets <see cref="Store"/> when the command line does not.</summary>
    public const string StoreVariable = "RETRIEVAL_STORE";

    /// <summary>Changed gallery items after which a background compaction writes a new snapshot (bounds the log a restart replays).</summary>
    public int CompactAfter { get; set; } = 8192;

    /// <summary>Address the gRPC and metrics endpoints bind to.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>gRPC port (HTTP/2).</summary>
    public int Port { get; set; } = 50051;

    /// <summary>Web port: the search page and the JSON API over HTTP/1.1 (browsers, curl); 0 (the default) turns it off (docs/serving.md).</summary>
    public int HttpPort { get; set; }

    /// <summary>Prometheus metrics port (HTTP/1.1, path /metrics); 0 disables it.</summary>
    public int MetricsPort { get; set; } = 9102;

    /// <summary>When set, every read call (Search, Embed, GetInfo, ...) must carry this key (or the admin key) in the x-api-key metadata header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The key admin calls (UpsertItems, DeleteItems, ReloadModel, ...) must carry in x-api-key. Unset: admin calls are
    /// refused (PERMISSION_DENIED) unless the server listens on a loopback address only.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>The folder ReloadModel may open models from (default: the folder of --model); request paths are names inside it.</summary>
    public string? ModelsDir { get; set; }

    /// <summary>PFX certificate for TLS on the gRPC port; cleartext HTTP/2 when unset.</summary>
    public string? Certificate { get; set; }

    /// <summary>Password of the PFX certificate.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Most images embedded in one ONNX Runtime call; 1 disables micro-batching.</summary>
    public int MaxBatch { get; set; } = 32;

    /// <summary>Longest a request waits for others to join its batch, in milliseconds.</summary>
    public double MaxWaitMs { get; set; } = 2;

    /// <summary>What one request may cost (section Retrieval:Limits).</summary>
    public RequestLimits Limits { get; set; } = new();

    /// <summary>HNSW settings of a new gallery index (Retrieval:Hnsw:M, :EfConstruction, :DefaultEf, ...); a saved index keeps the settings it was built with.</summary>
    public HnswOptions Hnsw { get; set; } = new();

    /// <summary>Command-line switches and the settings they set.</summary>
    public static readonly IDictionary<string, string> Switches = new Dictionary<string, string>
    {
        ["--model"] = $"{Section}:{nameof(Model)}",
        ["--data"] = $"{Section}:{nameof(Data)}",
        ["--gallery"] = $"{Section}:{nameof(Data)}",
        ["--index"] = $"{Section}:{nameof(Index)}",
        ["--migrate-from"] = $"{Section}:{nameof(MigrateFrom)}",
        ["--compact-after"] = $"{Section}:{nameof(CompactAfter)}",
        ["--store"] = $"{Section}:{nameof(Store)}",
        ["--host"] = $"{Section}:{nameof(Host)}",
        ["--port"] = $"{Section}:{nameof(Port)}",
        ["--http-port"] = $"{Section}:{nameof(HttpPort)}",
        ["--metrics-port"] = $"{Section}:{nameof(MetricsPort)}",
        ["--api-key"] = $"{Section}:{nameof(ApiKey)}",
        ["--admin-key"] = $"{Section}:{nameof(AdminKey)}",
        ["--models-dir"] = $"{Section}:{nameof(ModelsDir)}",
        ["--cert"] = $"{Section}:{nameof(Certificate)}",
        ["--cert-password"] = $"{Section}:{nameof(CertificatePassword)}",
        ["--max-batch"] = $"{Section}:{nameof(MaxBatch)}",
        ["--max-wait-ms"] = $"{Section}:{nameof(MaxWaitMs)}",
        ["--max-receive-bytes"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxReceiveBytes)}",
        ["--max-k"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxK)}",
        ["--max-ef"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxEf)}",
        ["--max-image-pixels"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxImagePixels)}",
        ["--max-aspect-ratio"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxAspectRatio)}",
        ["--max-concurrent-decodes"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxConcurrentDecodes)}",
        ["--max-items-per-call"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxItemsPerCall)}",
        ["--max-bytes-per-call"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxBytesPerCall)}",
        ["--max-label-bytes"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxLabelBytes)}",
        ["--max-path-bytes"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxPathBytes)}",
        ["--max-model-bytes"] = $"{RequestLimits.Section}:{nameof(RequestLimits.MaxModelBytes)}",
    };

    /// <summary>How an operator sets the limit <paramref name="name"/> of <see cref="RequestLimits"/>: its switch and configuration key.</summary>
    public static string LimitSetting(string name)
    {
        var key = $"{RequestLimits.Section}:{name}";
        var option = Switches.FirstOrDefault(s => s.Value == key).Key;
        return option is null ? key : $"{option} / {key}";
    }

    /// <summary>The folder ReloadModel opens models from: the configured one, or the folder of --model.</summary>
    public string ModelsRoot =>
        Path.GetFullPath(!string.IsNullOrEmpty(ModelsDir) ? ModelsDir
            : Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(Model) ? "model.onnx" : Model)) ?? ".");

    /// <summary>True when the gRPC listener is bound to a loopback address only (127.0.0.0/8 or ::1).</summary>
    public bool IsLoopbackOnly => System.Net.IPAddress.TryParse(Host, out var address) && System.Net.IPAddress.IsLoopback(address);

    /// <summary>The gallery folder: the configured one, or gallery/ beside the model.</summary>
    public string IndexPath =>
        Path.GetFullPath(!string.IsNullOrEmpty(Index) ? Index : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Model)) ?? ".", "gallery"));
}
