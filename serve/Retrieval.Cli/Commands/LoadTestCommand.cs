using System.CommandLine;
using Retrieval.Cli.Client;

namespace Retrieval.Cli.Commands;

/// <summary>`retrieval loadtest`: a bounded burst of Search calls through a server or load balancer, with client retry.</summary>
public static class LoadTestCommand
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "Server or load-balancer address, e.g. http://127.0.0.1:8080", Required = true };
        var images = new Option<string>("--images") { Description = "Folder of query images (PNG/JPEG, searched recursively; the first 64 by name are used)", Required = true };
        var count = new Option<int>("--count") { Description = "Number of Search calls", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight at once", DefaultValueFactory = _ => 4 };
        var k = new Option<int>("--k") { Description = "Neighbours per query", DefaultValueFactory = _ => 5 };
        var attempts = new Option<int>("--max-attempts") { Description = "Attempts per call on UNAVAILABLE, the first included (1..10)", DefaultValueFactory = _ => 5 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per call, retries included", DefaultValueFactory = _ => 10.0 };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file" };
        var command = new Command("loadtest", "Send a fixed number of Search calls (client retry on UNAVAILABLE); exit 0 when every one is answered")
            { server, images, count, concurrency, k, attempts, timeout, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var address = parse.GetValue(server)!;
                var seconds = parse.GetValue(timeout);
                if (!(seconds > 0) || double.IsInfinity(seconds)) throw new ArgumentException($"--timeout {seconds}: expected a positive number of seconds");
                var queries = LoadImages(parse.GetValue(images)!);
                var total = parse.GetValue(count);
                using var channel = RetrievalChannel.Create(address, parse.GetValue(attempts));
                var runner = new LoadTestRunner(channel, address) { CallTimeout = TimeSpan.FromSeconds(seconds) };
                var step = Math.Max(1, total / 20);
                var report = await runner.RunAsync(queries, total, parse.GetValue(concurrency), parse.GetValue(k),
                    (doneSoFar, answered, failed) =>
                    {
                        if (doneSoFar % step == 0 || doneSoFar == total)
                            Console.WriteLine($"loadtest: {doneSoFar}/{total} done, {answered} answered, {failed} failed");
                    }, cancellationToken);
                Console.WriteLine($"loadtest: {report.Summary()}");
                if (parse.GetValue(json) is { } path) report.WriteJson(path);
                return report.Failed == 0 ? 0 : 1;
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"retrieval loadtest: error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>The bytes of the first 64 images (by path) under <paramref name="folder"/>.</summary>
    private static List<byte[]> LoadImages(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"--images '{folder}': no such folder");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).Take(64).ToList();
        if (files.Count == 0) throw new ArgumentException($"--images '{folder}': no .png/.jpg/.jpeg files");
        return files.Select(File.ReadAllBytes).ToList();
    }
}
