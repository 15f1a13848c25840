using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Retrieval.Core.Storage;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>A <see cref="RetrievalEngine"/> without the gRPC host: fake model of the given size in <paramref name="dir"/>, exact index (core ExactIndexFactory), optional --data root.</summary>
public static class TestEngine
{
    /// <summary>Writes the fake model file under <paramref name="dir"/> and returns an engine over it (not started).</summary>
    public static RetrievalEngine Create(string dir, int dimension, string? data = null, PostgresGallery? database = null)
    {
        var options = new ServerOptions
        {
            Model = FakeModelLoader.Write(Path.Combine(dir, "model.onnx"), 1),
            Data = data,
            Index = Path.Combine(dir, "gallery"),
        };
        return new RetrievalEngine(Options.Create(options), new FakeModelLoader(dimension), new ExactIndexFactory(), new ServingMetrics(),
            NullLogger<RetrievalEngine>.Instance, database);
    }
}
