using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Numerics.Tensors;
using Retrieval.Core.IO;
using Retrieval.Core.Search;
using Retrieval.Bench.Abuse;
using Retrieval.Core.Storage;
using Retrieval.Serve.Gallery;

namespace Retrieval.Bench.Gallery;

/// <summary>
/// `retrieval-bench gallery-legacy` (run by `gallery` in its own process): the previous gallery design, kept here as the
/// baseline. Every item in a dictionary with its own copy of the embedding beside the HNSW index; each upsert or delete
/// rewrites the whole single-file gallery (<see cref="LegacyGalleryFile"/>); at start the file is read and the graph
/// rebuilt from scratch. Prints READY once it could serve, then times upserts and writes JSON.
/// </summary>
public static class LegacyGalleryWorker
{
    /// <summary>What the worker measured: in-process load seconds, resident bytes after the load, upsert latencies (ms).</summary>
    public sealed record Result(double LoadSeconds, long RssBytes, long FileBytes, double[] Single, double[] Batch);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var file = new Option<string>("--file") { Required = true, Description = "The single-file gallery (created with --count items when absent)." };
        var count = new Option<int>("--count") { Description = "Items of a new file." };
        var dim = new Option<int>("--dim") { DefaultValueFactory = _ => 128 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };
        var single = new Option<int>("--single") { DefaultValueFactory = _ => 50 };
        var batches = new Option<int>("--batches") { DefaultValueFactory = _ => 10 };
        var json = new Option<string?>("--json") { Description = "Where the measurements go (when loading an existing file)." };
        var command = new Command("gallery-legacy", "Baseline worker of `gallery`: the previous single-file gallery design") { file, count, dim, seed, single, batches, json };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var items = new SyntheticItems(parse.GetValue(dim), parse.GetValue(seed));
            if (!File.Exists(path))
            {
                int n = parse.GetValue(count);
                var all = Enumerable.Range(0, n).Select(i => Item(items, i)).ToArray();
                LegacyGalleryFile.Write(path, "bench", items.Dimension, all);
                return 0;
            }
            var output = parse.GetValue(json) ?? throw new ArgumentException("--json is needed to load an existing file.");
            var result = Serve(path, items, parse.GetValue(single), parse.GetValue(batches));
            JsonFiles.Write(output, result);
            return 0;
        });
        return command;
    }

    private static VectorItem Item(SyntheticItems items, long id) => new(id, new ItemMetadata(SyntheticItems.Label(id), ""), items.Vector(id));

    private static Result Serve(string path, SyntheticItems items, int singles, int batches)
    {
        var clock = Stopwatch.StartNew();
        var (_, dimension, loaded) = LegacyGalleryFile.Load(path);
        using var gallery = new Old(dimension, path);
        gallery.Add(loaded);
        double load = clock.Elapsed.TotalSeconds;
        Console.WriteLine("READY");
        long rss = ProcessRss.CurrentBytes(Environment.ProcessId);
        long next = loaded.Count == 0 ? 0 : loaded.Max(i => i.Id) + 1;
        var single = new List<double>();
        var batch = new List<double>();
        for (int i = 0; i < singles; i++) single.Add(Time(() => gallery.Upsert([Item(items, next++)])));
        for (int i = 0; i < batches; i++, next += 100)
        {
            long first = next;
            batch.Add(Time(() => gallery.Upsert(Enumerable.Range(0, 100).Select(j => Item(items, first + j)).ToArray())));
        }
        return new Result(load, rss, new FileInfo(path).Length, [.. single], [.. batch]);
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>The previous GalleryStore: items with normalised embedding copies + the index; Save rewrites everything.</summary>
    private sealed class Old(int dimension, string path) : IDisposable
    {
        public void Dispose() => _index.Dispose();

        private readonly ConcurrentDictionary<long, VectorItem> _items = new();
        private readonly HnswIndex _index = new(dimension, VectorMetric.Cosine, new HnswOptions());
        private readonly Lock _write = new();

        public void Add(IReadOnlyList<VectorItem> batch)
        {
            var vectors = new float[batch.Count * dimension];
            for (int i = 0; i < batch.Count; i++)
            {
                var v = vectors.AsSpan(i * dimension, dimension);
                TensorPrimitives.Divide(batch[i].Vector, TensorPrimitives.Norm(batch[i].Vector), v);
            }
            _index.Add(vectors, batch.Select(i => i.Id).ToArray());
            for (int i = 0; i < batch.Count; i++) _items[batch[i].Id] = batch[i] with { Vector = vectors.AsSpan(i * dimension, dimension).ToArray() };
        }

        public void Upsert(IReadOnlyList<VectorItem> batch)
        {
            lock (_write)
            {
                Add(batch);
                LegacyGalleryFile.Write(path, "bench", dimension, _items.Values.ToArray());
            }
        }
    }
}
