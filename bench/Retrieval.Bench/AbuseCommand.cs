using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Retrieval.Bench.Abuse;
using Retrieval.Bench.Load;
using Retrieval.CommandLine;
using Retrieval.Core.IO;
using Spectre.Console;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench abuse`: starts retrieval-server on loopback over a synthetic run (untrained resnet-small, drawn
/// gallery) and sends it the attacks of issue 11 — oversized k, extreme aspect ratios, 40 MP floods, huge labels,
/// big evaluation streams, /dev/zero reloads, malformed frames, a bad TLS password — printing status, time and the
/// server's peak RSS per case, with the machine load. Fails when a case is not answered as expected.
/// </summary>
public static class AbuseCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var serverExe = new Option<string>("--server-exe") { Description = "retrieval-server executable.", DefaultValueFactory = _ => "serve/Retrieval.Serve/bin/Release/net10.0/linux-x64/retrieval-server" };
        var gallery = new Option<int>("--gallery") { Description = "Gallery images of the synthetic run.", DefaultValueFactory = _ => 200 };
        var json = new Option<string>("--json") { Description = "Where to write the JSON results.", DefaultValueFactory = _ => "artifacts/bench/abuse.json" };
        var command = new Command("abuse", "Abuse and fault cases against retrieval-server: status, time, peak RSS.") { serverExe, gallery, json };
        command.SetAction(async parse =>
        {
            var root = Directory.CreateTempSubdirectory("retrieval-bench-abuse").FullName;
            try
            {
                string loadBefore = MachineLoad.Text();
                BenchLog.Step($"Writing a synthetic run to {root} (load average {loadBefore})");
                var (model, data) = SyntheticRun.Create(root, "resnet-small", 64, 128, parse.GetValue(gallery));
                const string adminKey = "abuse-admin-key";
                string exe = parse.GetValue(serverExe)!;
                var results = new List<AbuseResult>();
                await using (var server = await ServerProcess.StartAsync(exe,
                    ["--model", model, "--data", data, "--index", Path.Combine(root, "gallery"), "--admin-key", adminKey],
                    TimeSpan.FromMinutes(5), line => BenchLog.Step($"server: {line}")))
                {
                    using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
                    BenchLog.Step($"server SERVING at {server.Address}, RSS {ProcessRss.CurrentMiB(server.ProcessId):F0} MiB");
                    results.AddRange(await new AbuseCases(channel, server.ProcessId, adminKey, root).RunAllAsync(c => BenchLog.Step(c)));
                }
                results.Add(await WrongCertificatePasswordAsync(exe, root));
                string loadAfter = MachineLoad.Text();
                Print(results, loadBefore, loadAfter);
                var path = parse.GetValue(json)!;
                JsonFiles.Write(path, new { LoadBefore = loadBefore, LoadAfter = loadAfter, Machine = Environment.ProcessorCount + " cores", Cases = results });
                Console.WriteLine($"Wrote {path}");
                var wrong = results.Where(r => !r.AsExpected).ToList();
                if (wrong.Count > 0)
                    throw new CommandFailedException(string.Join("; ", wrong.Select(r => $"{r.Case}: expected {r.Expected}, got {r.Status}")));
                return ExitCodes.Success;
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }

    private static async Task<AbuseResult> WrongCertificatePasswordAsync(string exe, string root)
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(root, "server.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "right"));
        var start = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["--model", Path.Combine(root, "model.onnx"), "--port", "0", "--metrics-port", "0", "--cert", pfx, "--cert-password", "wrong"])
            start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = (await stderr).Trim().Split('\n').Length;
        return new AbuseResult("start with a wrong --cert-password", "exit 1, one line", $"exit {process.ExitCode}, {(lines == 1 ? "one line" : $"{lines} lines")}",
            clock.Elapsed.TotalMilliseconds, 0);
    }

    private static void Print(List<AbuseResult> results, string loadBefore, string loadAfter)
    {
        Console.WriteLine($"Abuse and faults (load average {loadBefore} -> {loadAfter}, {Environment.ProcessorCount} cores)");
        var table = new Table()
            .AddColumn("case").AddColumn("status").AddColumn("expected").AddColumn("time ms").AddColumn("server peak RSS MiB");
        foreach (var r in results)
            table.AddRow(Markup.Escape(r.Case), Markup.Escape(r.Status), r.AsExpected ? "yes" : $"NO ({Markup.Escape(r.Expected)})",
                r.Milliseconds.ToString("F0"), r.PeakRssMiB > 0 ? r.PeakRssMiB.ToString("F0") : "-");
        AnsiConsole.Write(table);
    }
}
