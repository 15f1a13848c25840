using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>`retrieval-bench index`: our HNSW index against hnswlib on the same vectors, settings and machine, in one run.</summary>
public static class IndexCommand
{
    /// <summary>The command and its options.</summary>
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Synthetic vectors (random unit, Gaussian directions)", DefaultValueFactory = _ => 100_000 };
        var dim = new Option<int>("--dim") { Description = "Synthetic dimension", DefaultValueFactory = _ => 128 };
        var queries = new Option<int>("--queries") { Description = "Queries per data set", DefaultValueFactory = _ => 1000 };
        var vectors = new Option<string?>("--vectors") { Description = "Also benchmark these embeddings (2-D float32 .npy); queries are held-out rows" };
        var m = new Option<int>("--m") { Description = "HNSW M (both libraries)", DefaultValueFactory = _ => 16 };
        var efc = new Option<int>("--ef-construction") { Description = "HNSW efConstruction (both libraries)", DefaultValueFactory = _ => 200 };
        var efs = new Option<string>("--ef") { Description = "Comma-separated search ef values", DefaultValueFactory = _ => "10,20,40,80,160,320" };
        var k = new Option<int>("--k") { Description = "Neighbours per query (recall@k)", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Threads for build and the all-threads pass (0 = all processors)", DefaultValueFactory = _ => 0 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per setting (best is kept)", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Seed for the synthetic vectors and the query sample", DefaultValueFactory = _ => 7 };
        var python = new Option<string>("--python") { Description = "Python with Debian's python3-hnswlib", DefaultValueFactory = _ => "/usr/bin/python3" };
        var script = new Option<string>("--script") { Description = "The hnswlib side", DefaultValueFactory = _ => "bench/hnswlib/bench_hnswlib.py" };
        var output = new Option<string>("--out") { Description = "Folder for the .npy files, JSON, markdown table and PNG", DefaultValueFactory = _ => "artifacts/bench/index" };
        var command = new Command("index", "HNSW index vs hnswlib: build time, recall@k and queries/s (1 thread, all threads) at several ef")
        {
            count, dim, queries, vectors, m, efc, efs, k, threads, repeats, seed, python, script, output,
        };
        command.SetAction(parse =>
        {
            var settings = new IndexBenchSettings(
                parse.GetValue(m), parse.GetValue(efc), ParseEfs(parse.GetValue(efs)!), parse.GetValue(k),
                parse.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount, parse.GetValue(repeats),
                parse.GetValue(python)!, parse.GetValue(script)!, parse.GetValue(output)!);
            Directory.CreateDirectory(settings.Output);
            var results = new List<IndexBenchResult>();
            int s = parse.GetValue(seed), nq = parse.GetValue(queries);
            var (synthetic, synthQueries) = (RandomUnit(parse.GetValue(count), parse.GetValue(dim), s), RandomUnit(nq, parse.GetValue(dim), s + 1));
            results.Add(RunDataset("synthetic", synthetic, synthQueries, parse.GetValue(dim), settings));
            if (parse.GetValue(vectors) is { } path)
            {
                var (all, rows, cols) = NpyFile.ReadFloat32(path);
                var (data, held) = HoldOut(all, rows, cols, Math.Min(nq, rows / 10), s);
                results.Add(RunDataset(Path.GetFileNameWithoutExtension(path), data, held, cols, settings));
            }
            IndexBenchReport.Write(results, settings.Output);
            return 0;
        });
        return command;
    }

    private static IndexBenchResult RunDataset(string name, float[] data, float[] queries, int dim, IndexBenchSettings s)
    {
        const VectorMetric metric = VectorMetric.Cosine;
        Normalize(data, dim);
        Normalize(queries, dim);
        int n = data.Length / dim, nq = queries.Length / dim;
        BenchLog.Step($"{name}: {n:N0} x {dim}, {nq} queries; exact top-{s.K} by brute force");
        long[] truth = ExactNeighbors.TopK(data, queries, dim, s.K, metric);
        string prefix = Path.Combine(s.Output, name);
        NpyFile.Write(prefix + ".data.npy", data, n, dim);
        NpyFile.Write(prefix + ".queries.npy", queries, nq, dim);
        NpyFile.Write(prefix + ".truth.npy", truth, nq, s.K);

        BenchLog.Step($"{name}: ours (M={s.M}, efConstruction={s.EfConstruction}, {s.Threads} threads)");
        var ours = IndexBenchmark.Run(data, queries, truth, dim, metric, s.M, s.EfConstruction, s.Efs, s.K, s.Threads, s.Repeats);
        BenchLog.Step($"{name}: hnswlib (same settings)");
        var theirs = RunHnswlib(prefix, s);
        return new IndexBenchResult(name, n, dim, nq, "cosine", s.M, s.EfConstruction, s.K, s.Threads, ours, theirs);
    }

    private static IndexBenchSide RunHnswlib(string prefix, IndexBenchSettings s)
    {
        string json = prefix + ".hnswlib.json";
        var psi = new ProcessStartInfo(s.Python) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[]
                 {
                     s.Script, "--data", prefix + ".data.npy", "--queries", prefix + ".queries.npy", "--truth", prefix + ".truth.npy",
                     "--space", "cosine", "--m", $"{s.M}", "--ef-construction", $"{s.EfConstruction}", "--ef", string.Join(',', s.Efs),
                     "--k", $"{s.K}", "--threads", $"{s.Threads}", "--repeats", $"{s.Repeats}", "--out", json,
                 })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {s.Python}.");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{s.Python} {s.Script} failed (exit {process.ExitCode}); is python3-hnswlib installed (make bench-index installs it)?\n{errors}");
        var side = JsonSerializer.Deserialize<IndexBenchSide>(File.ReadAllText(json), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                   ?? throw new InvalidDataException($"{json}: empty result");
        BenchLog.Step($"hnswlib: built in {side.BuildSeconds:F1} s");
        return side;
    }

    private static int[] ParseEfs(string text)
    {
        var efs = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => int.TryParse(e, out int v) && v > 0 ? v : throw new ArgumentException($"--ef: '{e}' is not a positive integer."))
            .ToArray();
        return efs.Length > 0 ? efs : throw new ArgumentException("--ef: give at least one value.");
    }

    private static float[] RandomUnit(int n, int dim, int seed)
    {
        var rng = new Random(seed);
        var v = new float[checked(n * dim)];
        for (int i = 0; i < v.Length; i++)
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        Normalize(v, dim);
        return v;
    }

    private static void Normalize(float[] v, int dim)
    {
        for (int i = 0; i < v.Length; i += dim)
        {
            var row = v.AsSpan(i, dim);
            float norm = MathF.Sqrt(VectorDistance.Dot(row, row));
            if (norm == 0) throw new InvalidDataException($"Row {i / dim} is all zeros; cosine needs non-zero vectors.");
            foreach (ref float x in row) x /= norm;
        }
    }

    private static (float[] Data, float[] Queries) HoldOut(float[] all, int rows, int cols, int count, int seed)
    {
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        var picked = order.Take(count).ToHashSet();
        var data = new List<float>((rows - count) * cols);
        var queries = new List<float>(count * cols);
        for (int r = 0; r < rows; r++) (picked.Contains(r) ? queries : data).AddRange(all.AsSpan(r * cols, cols));
        return (data.ToArray(), queries.ToArray());
    }
}
