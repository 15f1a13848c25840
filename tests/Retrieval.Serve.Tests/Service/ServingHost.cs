using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Retrieval.Serve.Engine;
using Retrieval.Core.Storage;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Service;

/// <summary>The real server (Program) hosted in-process with a fake model and brute-force index, over a temp run dir and a tiny In-Shop gallery.</summary>
public sealed class ServingHost : IAsyncDisposable
{
    /// <summary>Embedding size of the fake model.</summary>
    public const int Dim = 16;

    private readonly WebApplicationFactory<Program> _factory;

    private ServingHost(WebApplicationFactory<Program> factory, FakeModelLoader loader, GrpcChannel channel)
    {
        (_factory, Loader, Channel) = (factory, loader, channel);
        Client = new V1.Retrieval.RetrievalClient(channel);
    }

    /// <summary>The channel to the server.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The retrieval client.</summary>
    public V1.Retrieval.RetrievalClient Client { get; }

    /// <summary>The fake model loader (inspect loaded models).</summary>
    public FakeModelLoader Loader { get; }

    /// <summary>Writes a gallery of <paramref name="items"/> fake images (3 classes) with an In-Shop listing under <paramref name="root"/>.</summary>
    public static void WriteGallery(string root, int items)
    {
        Directory.CreateDirectory(Path.Combine(root, "img"));
        var rows = new List<string>();
        for (int i = 0; i < items; i++)
        {
            var name = $"img/item{i}.fake";
            File.WriteAllBytes(Path.Combine(root, name), FakeImage.Encode(ItemVector(i)));
            rows.Add($"{name} id_{i % 3} gallery");
            rows.Add($"img/query{i}.fake id_{i % 3} query");
        }
        File.WriteAllLines(Path.Combine(root, "list_eval_partition.txt"), [rows.Count.ToString(), "image_name item_id evaluation_status", .. rows]);
    }

    /// <summary>The embedding of gallery item <paramref name="i"/>: its class direction plus item noise.</summary>
    public static float[] ItemVector(int i)
    {
        var v = FakeImage.Vector(1000 + i, Dim);
        v[i % 3] += 4;
        return v;
    }

    /// <summary>Starts the server in-memory (TestServer) with the fake model and a brute-force index, and waits for SERVING.</summary>
    public static async Task<ServingHost> StartAsync(IDictionary<string, string?> settings)
    {
        var loader = new FakeModelLoader(Dim);
        var factory = Factory(settings, Fakes(loader));
        var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = factory.Server.CreateHandler(),
            MaxSendMessageSize = null,
        });
        var host = new ServingHost(factory, loader, channel);
        await host.WaitForAsync(HealthCheckResponse.Types.ServingStatus.Serving);
        return host;
    }

    /// <summary>
    /// Starts the server on real Kestrel at 127.0.0.1:Port (and MetricsPort); does not wait for SERVING. The unmodified
    /// server (ONNX Runtime model, HNSW index) unless <paramref name="fakes"/>, which swaps in the fake model and exact index.
    /// </summary>
    public static ServingHost StartKestrel(IDictionary<string, string?> settings, bool fakes = false)
    {
        var loader = new FakeModelLoader(Dim);
        var factory = Factory(settings, fakes ? Fakes(loader) : _ => { }, kestrel: true);
        factory.UseKestrel();
        factory.StartServer();
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{settings["Port"]}", new GrpcChannelOptions { MaxSendMessageSize = null });
        return new ServingHost(factory, loader, channel);
    }

    private static Action<IServiceCollection> Fakes(FakeModelLoader loader) => services =>
    {
        services.AddSingleton<IModelLoader>(loader);
        services.AddSingleton<IVectorIndexFactory>(new ExactIndexFactory());
    };

    /// <summary>A free loopback TCP port.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static WebApplicationFactory<Program> Factory(IDictionary<string, string?> settings, Action<IServiceCollection> services, bool kestrel = false) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            if (!kestrel) web.UseSetting("Retrieval:MetricsPort", "0");
            foreach (var (key, value) in settings) web.UseSetting($"Retrieval:{key}", value);
            web.ConfigureTestServices(services);
        });

    /// <summary>Polls the gRPC health service until it reports <paramref name="status"/> (10 s at most unless <paramref name="timeout"/> says otherwise).</summary>
    public async Task WaitForAsync(HealthCheckResponse.Types.ServingStatus status, TimeSpan? timeout = null)
    {
        var health = new Health.HealthClient(Channel);
        var last = HealthCheckResponse.Types.ServingStatus.Unknown;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)); await Task.Delay(20))
        {
            try { last = (await health.CheckAsync(new HealthCheckRequest())).Status; }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound) { }
            if (last == status) return;
        }
        throw new TimeoutException($"health stayed {last}, expected {status}");
    }

    /// <summary>A plain HTTP client to the in-memory server (JSON API, page), sending <paramref name="apiKey"/> as x-api-key when given.</summary>
    public HttpClient WebClient(string? apiKey = null)
    {
        var client = _factory.CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        return client;
    }

    /// <summary>A raw HTTP client to the in-memory server (for requests a gRPC client would not send).</summary>
    public HttpClient HttpClient() => _factory.CreateDefaultClient();

    /// <summary>The server's metrics registry in Prometheus text format (what /metrics serves).</summary>
    public async Task<string> MetricsTextAsync()
    {
        using var stream = new MemoryStream();
        await _factory.Services.GetRequiredService<ServingMetrics>().Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Polls the metrics until <paramref name="ready"/> holds (10 s at most): a call's status is recorded just after its reply.</summary>
    public async Task<string> WaitForMetricAsync(Func<string, bool> ready)
    {
        var text = "";
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(10))
            if (ready(text = await MetricsTextAsync())) return text;
        throw new TimeoutException($"the metrics never showed what the test waits for:\n{text}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _factory.DisposeAsync();
    }
}
