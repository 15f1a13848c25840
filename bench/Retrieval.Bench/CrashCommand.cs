using System.CommandLine;
using Retrieval.Bench.Gallery;
using Retrieval.Bench.Load;
using Retrieval.CommandLine;
using Retrieval.Core.IO;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench gallery-crash`: kills retrieval-server (SIGKILL) at random points during upserts, deletes and
/// background compactions for many rounds and checks after each restart that nothing acknowledged is lost and nothing
/// unacknowledged is half-present. Any violation is a failed check (exit 1, shared error policy).
/// </summary>
public static class CrashCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Kill/restart rounds (half of them kill during a compaction).", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the writes and kill times.", DefaultValueFactory = _ => 1 };
        var compactAfter = new Option<int>("--compact-after") { Description = "Server setting: changed items per compaction (small = many compactions).", DefaultValueFactory = _ => 30 };
        var serverExe = new Option<string>("--server-exe") { Description = "retrieval-server executable.", DefaultValueFactory = _ => "serve/Retrieval.Serve/bin/Release/net10.0/linux-x64/retrieval-server" };
        var json = new Option<string>("--json") { Description = "Where to write the report.", DefaultValueFactory = _ => "artifacts/bench/gallery-crash.json" };
        var command = new Command("gallery-crash", "SIGKILL the server during writes and compactions; every acknowledged write must survive, nothing half-present.")
        {
            rounds, seed, compactAfter, serverExe, json,
        };
        command.SetAction(async parse =>
        {
            var root = Directory.CreateTempSubdirectory("retrieval-bench-crash-").FullName;
            try
            {
                BenchLog.Step($"exporting a small model (16-d embeddings) to {root}");
                var (model, _) = SyntheticRun.Create(root, "resnet-small", 32, 16, 0);
                var settings = new CrashSettings(Path.GetFullPath(parse.GetValue(serverExe)!), model, 16, Path.Combine(root, "gallery"),
                    parse.GetValue(rounds), parse.GetValue(seed), parse.GetValue(compactAfter));
                BenchLog.Progress.Start("gallery-crash rounds", settings.Rounds);
                var report = await CrashHarness.RunAsync(settings, BenchLog.Step, done => BenchLog.Progress.Report(done)); // round r starts once r rounds are done
                BenchLog.Progress.Finish();
                var path = parse.GetValue(json)!;
                JsonFiles.Write(path, report);
                Console.WriteLine($"{report.Rounds} rounds ({report.KilledDuringCompaction} kills aimed at a compaction; {report.InterruptedSnapshotsCleaned} restarts cleaned up an interrupted snapshot), {report.AcknowledgedWrites} acknowledged writes, " +
                    $"in-flight writes found applied {report.InFlightApplied} / not applied {report.InFlightLost}, violations {report.Violations.Count}; wrote {path}");
                foreach (var v in report.Violations) Console.WriteLine($"violation: {v}");
                if (report.Violations.Count > 0)
                    throw new CommandFailedException($"{report.Violations.Count} violations (listed above); first: {report.Violations[0]}");
                return ExitCodes.Success;
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }
}
