using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Retrieval.V1;
using SkiaSharp;

namespace Retrieval.Serve.Tests.Service;

/// <summary>The unmodified server on real Kestrel (loopback) with a tiny exported ONNX network, HNSW and a gallery of generated PNGs.</summary>
[Collection("TorchSharp")]
public sealed class OnnxServingTests : IDisposable
{
    private const int Items = 12;
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-onnx").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RealModelServesEveryGalleryImageFirstAndSurvivesBadInput()
    {
        var model = TinyOnnxModel.Export(Path.Combine(_dir, "run", "model.onnx"));
        var data = Path.Combine(_dir, "data");
        var images = WriteGallery(data);
        int port = ServingHost.FreePort(), metricsPort = ServingHost.FreePort();
        await using var host = ServingHost.StartKestrel(new Dictionary<string, string?>
        {
            ["Model"] = model, ["Data"] = data, ["Port"] = port.ToString(), ["MetricsPort"] = metricsPort.ToString(),
        });
        await host.WaitForAsync(HealthCheckResponse.Types.ServingStatus.Serving);

        for (int i = 0; i < Items; i++)
        {
            var response = await host.Client.SearchAsync(new SearchRequest { Image = ByteString.CopyFrom(images[i]), Options = new SearchOptions { K = 3 } });
            Assert.Equal(i, response.Neighbors[0].ItemId);
            Assert.Equal($"class{i % 4}", response.Neighbors[0].Label);
            Assert.Equal(1f, response.Neighbors[0].Score, 3);
        }

        var corrupt = new SearchRequest { Image = ByteString.CopyFrom(images[0][..(images[0].Length / 2)]), Options = new SearchOptions { K = 3 } };
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.SearchAsync(corrupt).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("image:", error.Status.Detail);
        Assert.Equal(5, (await host.Client.SearchAsync(new SearchRequest { Image = ByteString.CopyFrom(images[5]), Options = new SearchOptions { K = 1 } })).Neighbors[0].ItemId);

        var info = await host.Client.GetInfoAsync(new GetInfoRequest());
        Assert.Equal((Items, 16, 32, "resnet-small"), (info.IndexSize, info.EmbeddingSize, info.ImageSize, info.ModelMetadata["retrieval.backbone"]));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(model))), info.ModelSha256);
        Assert.True(File.Exists(Path.Combine(_dir, "run", "gallery", "MANIFEST")));

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        Assert.Contains($"retrieval_index_size {Items}", metrics);

        var query = Path.Combine(data, "img", "class3", "07.png");
        var (exit, output) = await RunCli(["query", "--server", $"http://127.0.0.1:{port}", "-k", "2", "--json", query]);
        Assert.Equal(0, exit);
        using (var json = System.Text.Json.JsonDocument.Parse(output))
        {
            var first = json.RootElement.GetProperty("neighbors")[0];
            Assert.Equal((7, "class3"), (first.GetProperty("item_id").GetInt64(), first.GetProperty("label").GetString()));
        }

        var reflection = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext());
        Assert.Contains("retrieval.v1.Retrieval", reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    private static async Task<(int Exit, string Output)> RunCli(string[] args)
    {
        var output = new StringWriter();
        var root = new System.CommandLine.RootCommand { Retrieval.Cli.Commands.QueryCommand.Create() };
        int exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }

    internal static List<byte[]> WriteGallery(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "img"));
        var random = new Random(11);
        var rows = new List<string>();
        var images = new List<byte[]>();
        for (int i = 0; i < Items; i++)
        {
            using var bitmap = new SKBitmap(48, 40);
            for (int by = 0; by < 40; by += 8)
                for (int bx = 0; bx < 48; bx += 8)
                {
                    var color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    for (int y = by; y < by + 8; y++)
                        for (int x = bx; x < bx + 8; x++) bitmap.SetPixel(x, y, color);
                }
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            var name = $"img/class{i % 4}/{i:D2}.png";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, name))!);
            File.WriteAllBytes(Path.Combine(root, name), png.ToArray());
            images.Add(png.ToArray());
            rows.Add($"{name} class{i % 4} gallery");
        }
        File.WriteAllLines(Path.Combine(root, "list_eval_partition.txt"), [rows.Count.ToString(), "image_name item_id evaluation_status", .. rows]);
        return images;
    }
}
