using Prometheus;

namespace Retrieval.Serve.Engine;

/// <summary>The server's Prometheus metrics, in a registry of their own (requests, latency, batch sizes, index size).</summary>
public sealed class ServingMetrics
{
    /// <summary>Creates the metrics in a fresh registry.</summary>
    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("retrieval_requests_total", "gRPC calls by method and status code.", "method", "code");
        Latency = factory.CreateHistogram("retrieval_request_duration_seconds", "gRPC call latency by method.",
            new HistogramConfiguration { LabelNames = ["method"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        BatchSize = factory.CreateHistogram("retrieval_batch_size", "Images per ONNX Runtime call.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 9) });
        IndexSize = factory.CreateGauge("retrieval_index_size", "Live gallery items.");
    }

    /// <summary>The registry the /metrics endpoint exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Calls by method and status code.</summary>
    public Counter Requests { get; }

    /// <summary>Call latency by method, seconds.</summary>
    public Histogram Latency { get; }

    /// <summary>Images per ONNX Runtime call.</summary>
    public Histogram BatchSize { get; }

    /// <summary>Live gallery items.</summary>
    public Gauge IndexSize { get; }
}
