using Retrieval.Core.IO;
using System.Diagnostics;
using Retrieval.Core.Data;
using Retrieval.Core.Metrics;
using Retrieval.Core.Search;
using Retrieval.OnnxRuntime;

namespace Retrieval.Cli.Eval;

/// <summary>
/// Offline evaluation of every format core's <see cref="DatasetLoader"/> reads: In-Shop as query vs gallery, CUB and SOP
/// with the test split as both queries and reference set, each query's own image excluded (the MLRC convention the
/// trainer scores its test split with). Embeds the images with the ONNX model, retrieves with exact search and with
/// an HNSW index over the reference set, scores both, and writes eval.json, eval.md and gallery-embeddings.npy.
/// </summary>
public static class Evaluator
{
    /// <summary>Runs the evaluation; <paramref name="progress"/> receives (done, total) images embedded.</summary>
    public static EvalResult Run(EvalSettings settings, Action<int, int>? progress = null)
    {
        settings.Validate();
        var dataset = DatasetLoader.Load(settings.DataRoot);
        bool self = dataset.QueryIsReference;
        var queries = dataset.Queries;
        var gallery = dataset.Reference;
        if (queries.Count == 0 || gallery.Count == 0 || (self && queries.Count < 2))
            throw new InvalidDataException(self
                ? $"{settings.DataRoot}: evaluation needs at least two test images, found {queries.Count}"
                : $"{settings.DataRoot}: evaluation needs query and gallery images, found {queries.Count} query and {gallery.Count} gallery");
        IReadOnlyList<DatasetItem> embedded = self ? queries : [.. queries, .. gallery];
        MissingImages.Find(dataset with { Items = embedded }).ThrowIfAny();

        using var embedder = new OnnxEmbedder(settings.ModelPath, new OnnxEmbedderOptions
        {
            IntraOpThreads = settings.Threads, MaxBatchSize = settings.BatchSize, Log = _ => { },
        });
        int dim = embedder.Info.EmbeddingSize, threads = settings.EffectiveThreads;
        var paths = embedded.Select(dataset.AbsolutePath).ToList();
        var clock = Stopwatch.StartNew();
        var all = ImageBatchEmbedder.Embed(embedder, paths, settings.BatchSize, threads, progress);
        double imagesPerSecond = paths.Count / clock.Elapsed.TotalSeconds;
        var queryVectors = self ? all : all[..(queries.Count * dim)];
        var galleryVectors = self ? all : all[(queries.Count * dim)..];

        var codes = new LabelCodes();
        int[] queryLabels = codes.Encode(queries), galleryLabels = self ? queryLabels : codes.Encode(gallery);
        var recallAtK = RetrievalMetrics.InShopRecallAtK;
        var mode = self ? EvaluationMode.QueryIsReference : EvaluationMode.QueryVsGallery;
        int k = Math.Max(settings.AnnRecallK, RetrievalMetrics.RanksNeeded(queryLabels, galleryLabels, mode, recallAtK));

        clock.Restart();
        var exact = ExactSearch.TopK(queryVectors, galleryVectors, dim, k, excludeSelf: self);
        double exactQps = queries.Count / clock.Elapsed.TotalSeconds;

        clock.Restart();
        var index = new HnswIndex(dim, VectorMetric.Cosine, new HnswOptions(settings.M, settings.EfConstruction, settings.Ef,
            InitialCapacity: gallery.Count, BuildThreads: settings.Threads));
        index.Add(galleryVectors, Enumerable.Range(0, gallery.Count).Select(i => (long)i).ToArray());
        double buildSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var approximate = new Neighbor[queries.Count][];
        var search = new SearchParams(settings.Ef);
        // Query = reference: ask for one more neighbour and drop the query's own row, as exact search does.
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, q =>
            approximate[q] = self
                ? index.Search(queryVectors.AsSpan(q * dim, dim), k + 1, search).Where(n => n.Id != q).Take(k).ToArray()
                : index.Search(queryVectors.AsSpan(q * dim, dim), k, search));
        double hnswQps = queries.Count / clock.Elapsed.TotalSeconds;

        var result = new EvalResult(Path.GetFullPath(settings.ModelPath), Path.GetFullPath(settings.DataRoot), queries.Count, gallery.Count, dim,
            embedder.ExecutionProvider, k,
            RetrievalMetrics.Score(exact, queryLabels, galleryLabels, mode, recallAtK),
            RetrievalMetrics.Score(approximate, queryLabels, galleryLabels, mode, recallAtK),
            new HnswSettings(settings.M, settings.EfConstruction, settings.Ef), settings.AnnRecallK,
            AnnRecall.AtK(approximate, exact, settings.AnnRecallK),
            new EvalThroughput(imagesPerSecond, exactQps, hnswQps, buildSeconds, threads))
        {
            QueryIsReference = self,
        };

        Directory.CreateDirectory(settings.OutDir);
        NpyFile.Write(Path.Combine(settings.OutDir, EvalFiles.GalleryEmbeddings), galleryVectors, gallery.Count, dim);
        EvalFiles.Write(result, settings.OutDir);
        EvalPictures.Write(settings.OutDir, dataset, queries, gallery, mode, exact, approximate, new Core.Pictures.RetrievalGridSettings());
        return result;
    }
}
