using System.CommandLine;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench index`: our HNSW index against hnswlib built for this CPU, Debian's python3-hnswlib and USearch,
/// on the same vectors, settings and machine in one run, libraries alternated per ef.
/// </summary>
public static class IndexCommand
{
    /// <summary>The command and its options.</summary>
    public static Command Create()
    {
        var datasets = new Option<string>("--datasets") { Description = "Comma-separated: fashion-mnist, clustered", DefaultValueFactory = _ => "fashion-mnist,clustered" };
        var vectors = new Option<string?>("--vectors") { Description = "Also a trained model's embeddings (2-D float32 .npy, cosine); queries are held-out rows" };
        var large = new Option<int>("--large") { Description = "Also an embedding-like set (the clustered generator, another seed) of this many 128-d vectors (0 = off; e.g. 1000000)", DefaultValueFactory = _ => 0 };
        var clusteredCount = new Option<int>("--clustered-count") { Description = "Vectors in the clustered set", DefaultValueFactory = _ => 200_000 };
        var fashion = new Option<string>("--fashion-mnist") { Description = "Folder of the Fashion-MNIST IDX files (Debian dataset-fashion-mnist)", DefaultValueFactory = _ => IndexDatasets.FashionMnistFolder };
        var maxCount = new Option<int>("--max-count") { Description = "Use at most this many indexed vectors per data set (quick runs)", DefaultValueFactory = _ => int.MaxValue };
        var maxQueries = new Option<int>("--queries") { Description = "Queries per data set", DefaultValueFactory = _ => 10_000 };
        var m = new Option<int>("--m") { Description = "HNSW M (every library)", DefaultValueFactory = _ => 16 };
        var efc = new Option<int>("--ef-construction") { Description = "HNSW efConstruction (every library)", DefaultValueFactory = _ => 200 };
        var efs = new Option<string>("--ef") { Description = "Comma-separated search ef values", DefaultValueFactory = _ => "10,16,24,32,48,64,96,128,192,256,384" };
        var k = new Option<int>("--k") { Description = "Neighbours per query (recall@k)", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Threads of the all-threads search pass (0 = all processors)", DefaultValueFactory = _ => 0 };
        var buildThreads = new Option<int>("--build-threads") { Description = "Threads every library builds with (0 = all processors)", DefaultValueFactory = _ => 0 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per setting after one warm-up (best is kept)", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated sets and the held-out queries", DefaultValueFactory = _ => 7 };
        var peers = new Option<string>("--peers") { Description = "Other libraries: hnswlib-native, hnswlib-python, usearch, usearch-f16, usearch-i8", DefaultValueFactory = _ => "hnswlib-native,hnswlib-python,usearch,usearch-f16,usearch-i8" };
        var ours = new Option<string>("--ours") { Description = "Our storage variants: f32, f16, i8", DefaultValueFactory = _ => "f32,f16,i8" };
        var python = new Option<string>("--python") { Description = "Python with Debian's python3-hnswlib", DefaultValueFactory = _ => "/usr/bin/python3" };
        var script = new Option<string>("--script") { Description = "The python3-hnswlib side", DefaultValueFactory = _ => "bench/hnswlib/bench_hnswlib.py" };
        var native = new Option<string>("--native") { Description = "The native hnswlib driver (compiled from bench/hnswlib/hnswlib_native.cpp)", DefaultValueFactory = _ => "artifacts/bench/hnswlib-native" };
        var output = new Option<string>("--out") { Description = "Folder for the JSON, markdown and PNGs (and the temporary .npy/index files)", DefaultValueFactory = _ => "artifacts/bench/index" };
        var plot = new Option<string?>("--plot") { Description = "Also write every data set's recall-QPS panel side by side into this PNG" };
        var keep = new Option<bool>("--keep-files") { Description = "Keep the .npy and index files" };
        var command = new Command("index", "HNSW index vs hnswlib (native and python) and USearch: QPS at recall 0.90/0.95/0.99, build/save/load time, bytes per vector")
        {
            datasets, vectors, large, clusteredCount, fashion, maxCount, maxQueries, m, efc, efs, k, threads, buildThreads, repeats, seed,
            peers, ours, python, script, native, output, plot, keep,
        };
        command.SetAction(parse =>
        {
            int all = Environment.ProcessorCount;
            var settings = new IndexBenchSettings(
                parse.GetValue(m), parse.GetValue(efc), ParseEfs(parse.GetValue(efs)!), parse.GetValue(k),
                parse.GetValue(threads) is > 0 and var t ? t : all, parse.GetValue(buildThreads) is > 0 and var b ? b : all, parse.GetValue(repeats),
                parse.GetValue(python)!, parse.GetValue(script)!, parse.GetValue(native)!, parse.GetValue(output)!,
                List(parse.GetValue(peers)!), List(parse.GetValue(ours)!));
            Directory.CreateDirectory(settings.Output);
            int s = parse.GetValue(seed), nq = parse.GetValue(maxQueries), cap = parse.GetValue(maxCount), kk = settings.K;
            var sources = new List<Func<IndexDataset>>();
            foreach (string name in List(parse.GetValue(datasets)!))
            {
                sources.Add(name switch
                {
                    "fashion-mnist" => () => IndexDatasets.FashionMnist(parse.GetValue(fashion)!, kk, cap, nq),
                    "clustered" => () => IndexDatasets.Clustered($"clustered-{Math.Min(parse.GetValue(clusteredCount), cap) / 1000}k-128",
                        Math.Min(parse.GetValue(clusteredCount), cap), 128, nq, kk, s),
                    _ => throw new ArgumentException($"--datasets: unknown '{name}' (fashion-mnist, clustered)."),
                });
            }
            if (parse.GetValue(vectors) is { } path) sources.Add(() => IndexDatasets.Embeddings(path, Math.Min(nq, 1_000), kk, s));
            if (parse.GetValue(large) is > 0 and var n)
                sources.Add(() => IndexDatasets.Clustered($"embedding-like-{Math.Min(n, cap) / 1000}k-128", Math.Min(n, cap), 128, nq, kk, s + 2));
            var results = new List<IndexBenchResult>();
            foreach (var source in sources)
            {
                results.Add(IndexBenchmark.Run(source(), settings, parse.GetValue(keep)));
                IndexBenchReport.Write(results, settings.Output); // partial results survive a later failure
            }
            IndexBenchPlot.Write(results, settings.Output, parse.GetValue(plot));
            return 0;
        });
        return command;
    }

    private static List<string> List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int[] ParseEfs(string text)
    {
        var efs = List(text).Select(e => int.TryParse(e, out int v) && v > 0 ? v : throw new ArgumentException($"--ef: '{e}' is not a positive integer.")).ToArray();
        return efs.Length > 0 ? efs : throw new ArgumentException("--ef: give at least one value.");
    }
}
