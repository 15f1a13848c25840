using System.Diagnostics;
using System.Globalization;
using Retrieval.Study.Folds;
using Retrieval.Study.Heads;

namespace Retrieval.Study.Runs;

/// <summary>
/// Runs head jobs on parallel workers, skipping those the <see cref="RunStore"/> already holds and storing each as it
/// finishes, so an interrupted part loses at most the jobs in flight. Prints one plain line per finished job.
/// </summary>
public sealed class HeadRunner(RunStore store, IReadOnlyList<FoldData> folds, int workers, Action<string> log)
{
    /// <summary>The outcome (and, when <paramref name="keepWeights"/>, the best weights) of every job, in order.</summary>
    public IReadOnlyList<(HeadOutcome Outcome, HeadWeights? Weights)> Run(IReadOnlyList<HeadJob> jobs, bool keepWeights, string label)
    {
        var results = new (HeadOutcome, HeadWeights?)[jobs.Count];
        var pending = new List<int>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (store.TryGet(jobs[i], keepWeights) is { } done) results[i] = done;
            else pending.Add(i);
        }
        if (pending.Count == 0) return results;
        TorchSharp.torch.set_num_threads(1); // one libtorch thread per worker: parallel runs, and exact repeats
        log($"{label}: {jobs.Count - pending.Count}/{jobs.Count} runs cached, running {pending.Count} on {workers} worker(s)");
        var finished = 0;
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            var job = jobs[i];
            var runClock = Stopwatch.StartNew();
            var (outcome, weights) = TrainWithRetry(job);
            store.Put(job, outcome, keepWeights ? weights : null);
            results[i] = (outcome, keepWeights ? weights : null);
            var n = Interlocked.Increment(ref finished);
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / n * (pending.Count - n));
            log(string.Create(CultureInfo.InvariantCulture,
                $"{label} {n}/{pending.Count}: {job.Describe()} -> val MAP@R {outcome.ValidationMapAtR:F4} at epoch {outcome.BestEpoch}/{outcome.EpochsRun}" +
                $"{(outcome.Failure is null ? "" : $" ({outcome.Failure})")} {runClock.Elapsed.TotalSeconds:F1}s, ETA {eta:hh\\:mm\\:ss}"));
        });
        return results;
    }

    /// <summary>
    /// Trains one job, retrying it (from scratch: the result is the same) when libtorch reports a native error: rarely,
    /// under parallel workers, a TorchSharp optimizer step fails on a corrupted scalar argument ("toFloat" in addcdiv_).
    /// </summary>
    private (HeadOutcome, HeadWeights) TrainWithRetry(HeadJob job)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return HeadTrainer.Train(job, folds[job.Fold]);
            }
            catch (System.Runtime.InteropServices.ExternalException e) when (attempt < attempts)
            {
                log($"retrying {job.Describe()} after a libtorch error (attempt {attempt} of {attempts}): {e.Message.Split('\n')[0]}");
            }
        }
    }
}
