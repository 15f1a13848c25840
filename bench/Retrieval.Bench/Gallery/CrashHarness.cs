using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Retrieval.Bench.Load;
using Retrieval.V1;

namespace Retrieval.Bench.Gallery;

/// <summary>
/// Kills a real retrieval-server (SIGKILL) at random points while one client upserts and deletes vectors, and checks
/// after every restart that each acknowledged write is there, that the write in flight at the kill is wholly applied
/// or wholly absent, and that the gallery loads. Rounds alternate between a kill at a random moment and a kill just
/// after a background compaction started (the server compacts every <see cref="CrashSettings.CompactAfter"/> items).
/// </summary>
public static class CrashHarness
{
    /// <summary>Runs the rounds; the report lists every violation (none expected). <paramref name="beforeRestart"/> (round) runs between a kill and the restart.</summary>
    public static async Task<CrashReport> RunAsync(CrashSettings s, Action<string> log, Action<int>? beforeRestart = null)
    {
        var rng = new Random(s.Seed);
        var model = new GalleryModel(s.Dimension) { Universe = s.Universe };
        string[] args = ["--model", s.Model, "--index", s.Folder, "--compact-after", s.CompactAfter.ToString()];
        var violations = new List<string>();
        Write? inFlight = null;
        int acked = 0, duringCompaction = 0, applied = 0, lost = 0, cleaned = 0;
        for (int round = 0; ; round++)
        {
            beforeRestart?.Invoke(round);
            var compaction = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var server = await ServerProcess.StartAsync(s.ServerExe, args, TimeSpan.FromSeconds(120), _ => { },
                line =>
                {
                    if (line.Contains("Compaction: writing", StringComparison.Ordinal)) compaction.TrySetResult();
                    if (line.Contains("left by an interrupted write", StringComparison.Ordinal) || line.Contains("never committed", StringComparison.Ordinal))
                        Interlocked.Increment(ref cleaned);
                });
            using var channel = GrpcChannel.ForAddress(server.Address);
            var client = new V1.Retrieval.RetrievalClient(channel);
            if (inFlight is not null)
            {
                var outcome = await model.ResolveAsync(client, inFlight);
                if (outcome is null) violations.Add($"round {round}: the write in flight at the kill ({inFlight}) is half-present");
                else if (outcome.Value) applied++;
                else lost++;
                inFlight = null;
            }
            violations.AddRange((await model.VerifyAsync(client)).Select(v => $"round {round}: {v}"));
            log($"round {round}/{s.Rounds}: restarted in {server.StartToServing.TotalSeconds:F2} s, {model.Count} items verified, {violations.Count} violations so far");
            if (round == s.Rounds) break;

            bool atCompaction = round % 2 == 1;
            using var stop = new CancellationTokenSource();
            var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var write = model.Next(rng);
                    inFlight = write;
                    try
                    {
                        await write.SendAsync(client);
                    }
                    catch (RpcException)
                    {
                        return; // the server died under this write: its outcome is checked after the restart
                    }
                    model.Acknowledge(write);
                    inFlight = null;
                    acked++;
                    firstAck.TrySetResult();
                }
            });
            // every round writes something before the kill: the first acknowledgement, then a random moment or a compaction start
            await Task.WhenAny(firstAck.Task, Task.Delay(TimeSpan.FromSeconds(30)));
            compaction = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // one that starts from now on
            int delay = rng.Next(0, 25), randomDelay = rng.Next(0, 500);
            if (atCompaction)
            {
                bool started = await Task.WhenAny(compaction.Task, Task.Delay(TimeSpan.FromSeconds(20))) == compaction.Task;
                if (started)
                {
                    await Task.Delay(delay);
                    duringCompaction++;
                }
            }
            else await Task.Delay(randomDelay);
            await server.DisposeAsync(); // SIGKILL
            stop.Cancel();
            await writer;
        }
        return new CrashReport(s.Rounds, duringCompaction, cleaned, acked, applied, lost, violations);
    }
}
