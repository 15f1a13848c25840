using System.CommandLine;
using Retrieval.Cli.Client;
using Retrieval.CommandLine;

namespace Retrieval.Cli.Commands;

/// <summary>`retrieval loadtest`: a bounded burst of Search calls through a server or load balancer, with client retry.</summary>
public static class LoadTestCommand
{
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
            var address = parse.GetValue(server)!;
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0) || double.IsInfinity(seconds)) throw new ArgumentException($"--timeout {seconds}: expected a positive number of seconds");
            var queries = QueryImageFolder.Read(parse.GetValue(images)!, 64);
            var total = parse.GetValue(count);
            using var channel = RetrievalChannel.Create(address, parse.GetValue(attempts));
            var runner = new LoadTestRunner(channel, address) { CallTimeout = TimeSpan.FromSeconds(seconds) };
            var progress = ConsoleProgress.ForConsole();
            progress.Start("loadtest", total);
            var report = await runner.RunAsync(queries, total, parse.GetValue(concurrency), parse.GetValue(k),
                (done, answered, failed) => progress.Report(done, $"done, {answered} answered, {failed} failed"), cancellationToken);
            Console.WriteLine($"loadtest: {report.Summary()}");
            if (parse.GetValue(json) is { } path) report.WriteJson(path);
            if (report.Failed > 0) throw new CommandFailedException($"{report.Failed} of {report.Queries} calls failed; first: {report.FirstError}");
            return ExitCodes.Success;
        });
        return command;
    }
}
