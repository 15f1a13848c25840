using System.CommandLine;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Retrieval.Cli.Client;
using Retrieval.CommandLine;
using Retrieval.Core.IO;
using Retrieval.V1;
using Spectre.Console;

namespace Retrieval.Cli.Commands;

/// <summary>`retrieval query`: sends an image to a retrieval server and prints its nearest gallery items as a table or JSON.</summary>
public static class QueryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var image = new Argument<FileInfo>("image") { Description = "Query image (PNG or JPEG)." };
        var server = new Option<string>("--server") { Description = "Server address.", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
        var k = new Option<int>("-k", "--k") { Description = "Number of neighbours.", DefaultValueFactory = _ => 10 };
        var ef = new Option<int>("--ef") { Description = "HNSW beam width (0 = server default)." };
        var exact = new Option<bool>("--exact") { Description = "Exact brute-force search instead of HNSW." };
        var threshold = new Option<float?>("--threshold") { Description = "Drop neighbours with cosine score below this." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (default: $RETRIEVAL_API_KEY)." };
        var timeout = new Option<double>("--timeout") { Description = "Deadline in seconds.", DefaultValueFactory = _ => 30 };
        var command = new Command("query", "Query a retrieval server with an image and print its nearest gallery items.")
        {
            image, server, k, ef, exact, threshold, json, apiKey, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(image)!;
            var output = parse.InvocationConfiguration.Output;
            if (!file.Exists) throw new FileNotFoundException($"image file not found: {file.FullName}", file.FullName);
            var request = new SearchRequest
            {
                Image = ByteString.CopyFrom(await File.ReadAllBytesAsync(file.FullName, cancellationToken)),
                Options = new SearchOptions { K = parse.GetValue(k), Ef = parse.GetValue(ef), Exact = parse.GetValue(exact) },
            };
            if (parse.GetValue(threshold) is { } t) request.Options.ScoreThreshold = t;
            var headers = new Metadata();
            if ((parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("RETRIEVAL_API_KEY")) is { Length: > 0 } key)
                headers.Add("x-api-key", key);
            // Retries on UNAVAILABLE, so a query through a load balancer survives a replica going away.
            using var channel = RetrievalChannel.Create(parse.GetValue(server)!);
            var client = new V1.Retrieval.RetrievalClient(channel);
            var response = await client.SearchAsync(request, headers, DateTime.UtcNow.AddSeconds(parse.GetValue(timeout)), cancellationToken);
            if (parse.GetValue(json)) PrintJson(response, output);
            else PrintTable(response, file.Name, output);
            return 0;
        });
        return command;
    }

    private static void PrintJson(SearchResponse response, TextWriter output)
    {
        var rows = response.Neighbors.Select((n, i) => new { rank = i + 1, item_id = n.ItemId, label = n.Label, score = n.Score, image_path = n.ImagePath });
        output.WriteLine(JsonSerializer.Serialize(new { neighbors = rows }, JsonFiles.Indented));
    }

    private static void PrintTable(SearchResponse response, string query, TextWriter output)
    {
        var table = new Table().Title($"Nearest gallery items to {Markup.Escape(query)}")
            .AddColumn("rank").AddColumn("item id").AddColumn("label").AddColumn("score").AddColumn("image path");
        int rank = 1;
        foreach (var n in response.Neighbors)
            table.AddRow((rank++).ToString(), n.ItemId.ToString(), Markup.Escape(n.Label), n.Score.ToString("F4"), Markup.Escape(n.ImagePath));
        // The invocation's output is standard output unless a caller (a test) captured it.
        Terminal.For(output, output == Console.Out && Terminal.IsInteractive).Write(table);
    }
}
