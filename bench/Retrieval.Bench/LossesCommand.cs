using System.CommandLine;
using System.Diagnostics;
using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;
using Retrieval.Core.IO;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench losses`: forward+backward time of Contrastive, CWMS, MFCont, MFCWMS and ProxyAnchor versus
/// batch size B and class count C, plus the reference code's dense C x C MFCWMS against ours at one large C.
/// </summary>
public static class LossesCommand
{
    private static readonly string[] Losses = ["contrastive", "cwms", "mfcont", "mfcwms", "proxyanchor"];

    public static Command Create()
    {
        var batches = new Option<int[]>("--batch-sizes") { Description = "Batch sizes B (2 images per class)", DefaultValueFactory = _ => [60, 120, 240, 480], AllowMultipleArgumentsPerToken = true };
        var classes = new Option<int[]>("--classes") { Description = "Numbers of training classes C", DefaultValueFactory = _ => [100, 1000, 10000], AllowMultipleArgumentsPerToken = true };
        var dim = new Option<int>("--dim") { Description = "Embedding size D", DefaultValueFactory = _ => 512 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions per cell (median reported)", DefaultValueFactory = _ => 5 };
        var denseClasses = new Option<int>("--dense-classes") { Description = "C for the dense (reference C x C) MFCWMS comparison; 0 skips it", DefaultValueFactory = _ => 10000 };
        var denseBatch = new Option<int>("--dense-batch") { Description = "B for the dense MFCWMS comparison", DefaultValueFactory = _ => 180 };
        var threads = new Option<int>("--threads") { Description = "torch CPU threads (1 makes CPU time a clean measure of work on a shared machine)", DefaultValueFactory = _ => 1 };
        var json = new Option<string>("--json") { Description = "JSON output path", DefaultValueFactory = _ => "artifacts/bench/losses.json" };
        var command = new Command("losses", "Loss forward+backward time vs batch size and classes; dense vs our MFCWMS speed-up.");
        foreach (var option in new Option[] { batches, classes, dim, repeats, denseClasses, denseBatch, threads, json }) command.Options.Add(option);
        command.SetAction(parse => Run(parse.GetValue(batches)!, parse.GetValue(classes)!, parse.GetValue(dim), parse.GetValue(repeats),
            parse.GetValue(denseClasses), parse.GetValue(denseBatch), parse.GetValue(threads), parse.GetValue(json)!));
        return command;
    }

    private static int Run(int[] batches, int[] classCounts, int dim, int repeats, int denseClasses, int denseBatch, int threads, string jsonPath)
    {
        if (batches.Length == 0 || classCounts.Length == 0 || dim < 1 || repeats < 1 || threads < 1 || batches.Any(b => b < 2) || classCounts.Any(c => c < 2))
            throw new ArgumentException("need --batch-sizes >= 2, --classes >= 2, and --dim, --repeats and --threads >= 1");
        set_num_threads(threads);
        Console.WriteLine($"losses: D={dim}, {repeats} repeats, torch threads {get_num_threads()}, CPU; times are process CPU ms (wall ms in the JSON)");
        var cells = new List<Cell>();
        foreach (var c in classCounts)
            foreach (var b in batches)
                foreach (var name in Losses)
                {
                    if (b / 2 > c) continue;
                    var (cpu, wall) = Time(name, b, c, dim, repeats);
                    cells.Add(new Cell(name, b, c, cpu, wall));
                    Console.WriteLine($"  {name,-12} B={b,4} C={c,6}: cpu {cpu,9:F2} ms  wall {wall,9:F2} ms");
                }
        PrintTable(cells, batches, classCounts);
        var dense = denseClasses > 0 ? CompareDense(denseBatch, denseClasses, dim) : null;
        JsonFiles.Write(jsonPath, new { dim, repeats, threads = get_num_threads(), cells, dense });
        Console.WriteLine($"wrote {jsonPath}");
        return 0;
    }

    /// <summary>Median forward+backward CPU and wall milliseconds of one loss on a random balanced batch (2 images per class).</summary>
    private static (double Cpu, double Wall) Time(string name, int batch, int classCount, int dim, int repeats)
    {
        random.manual_seed(1);
        using var loss = LossFactory.Create(name, classCount, dim);
        var cpu = new List<double>();
        var wall = new List<double>();
        for (var r = 0; r <= repeats; r++)
        {
            using var scope = NewDisposeScope();
            var (embeddings, labels) = Batch(batch, classCount, dim, r);
            var (c, w) = Measure(() => loss.forward(embeddings, labels).backward());
            if (r > 0) { cpu.Add(c); wall.Add(w); }
            loss.zero_grad();
        }
        return (Median(cpu), Median(wall));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Process CPU and wall milliseconds of one call.</summary>
    private static (double Cpu, double Wall) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
    }

    private static (Tensor Embeddings, Tensor Labels) Batch(int batch, int classCount, int dim, int seed)
    {
        var labels = randperm(classCount, generator: new Generator((ulong)seed + 7)).narrow(0, 0, batch / 2).repeat_interleave(2);
        var embeddings = nn.functional.normalize(randn(labels.shape[0], dim), dim: 1).requires_grad_(true);
        return (embeddings, labels);
    }

    private static DenseComparison CompareDense(int batch, int classCount, int dim)
    {
        Console.WriteLine($"dense (reference C x C) MFCWMS (1 run) vs ours (median of 5) at B={batch}, C={classCount}:");
        random.manual_seed(2);
        using var loss = new MeanFieldClassWiseMultiSimilarityLoss(classCount, dim);
        using var scope = NewDisposeScope();
        var (embeddings, labels) = Batch(batch, classCount, dim, 0);
        Tensor oursValue = null!, denseValue = null!;
        var ours = Enumerable.Range(0, 6).Select(_ => Measure(() => (oursValue = loss.forward(embeddings, labels)).backward())).Skip(1).ToList();
        var (oursCpu, oursWall) = (Median(ours.Select(t => t.Cpu).ToList()), Median(ours.Select(t => t.Wall).ToList()));
        var (denseCpu, denseWall) = Measure(() =>
            (denseValue = DenseMeanFieldClassWiseMultiSimilarity.Compute(embeddings, labels, loss.Means, loss.Settings)).backward());
        var result = new DenseComparison(batch, classCount, oursCpu, denseCpu, denseCpu / oursCpu, oursWall, denseWall, oursValue.item<float>(), denseValue.item<float>());
        Console.WriteLine($"  ours {oursCpu:F1} ms, dense {denseCpu:F1} ms CPU -> speed-up x{result.SpeedUp:F1} (wall {oursWall:F1} vs {denseWall:F1} ms); loss {result.OursLoss:G7} vs {result.DenseLoss:G7}");
        return result;
    }

    private static void PrintTable(List<Cell> cells, int[] batches, int[] classCounts)
    {
        Console.WriteLine();
        Console.WriteLine("forward+backward CPU ms (median)");
        Console.WriteLine("| loss | B | " + string.Join(" | ", classCounts.Select(c => $"C={c}")) + " |");
        Console.WriteLine("|---|---:|" + string.Concat(classCounts.Select(_ => "---:|")));
        foreach (var name in Losses)
            foreach (var b in batches)
                Console.WriteLine($"| {name} | {b} | " + string.Join(" | ", classCounts.Select(c =>
                    cells.FirstOrDefault(x => x.Loss == name && x.Batch == b && x.Classes == c) is { } cell ? cell.CpuMilliseconds.ToString("F2") : "-")) + " |");
        Console.WriteLine();
    }

    private sealed record Cell(string Loss, int Batch, int Classes, double CpuMilliseconds, double WallMilliseconds);

    private sealed record DenseComparison(int Batch, int Classes, double OursCpuMilliseconds, double DenseCpuMilliseconds, double SpeedUp,
        double OursWallMilliseconds, double DenseWallMilliseconds, double OursLoss, double DenseLoss);
}
