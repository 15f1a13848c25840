using Retrieval.Core.IO;
using System.Diagnostics;
using Retrieval.Core.Data;
using Retrieval.Core.Metrics;
using Retrieval.Core.Search;
using Retrieval.Inference;

namespace Retrieval.Cli.Eval;

/// <summary>
/// Offline evaluation over an In-Shop query/gallery split: embeds every query and gallery image with the ONNX model,
/// retrieves with exact search and with an HNSW index over the gallery, scores both, and writes eval.json, eval.md
/// and gallery-embeddings.npy into the output folder.
/// </summary>
public static class Evaluator
{
    /// <summary>Runs the evaluation; <paramref name="progress"/> receives (done, total) images embedded.</summary>
    public static EvalResult Run(EvalSettings settings, Action<int, int>? progress = null)
    {
        settings.Validate();
        var dataset = DatasetLoader.Load(settings.DataRoot);
        var queries = dataset.Query;
        var gallery = dataset.Gallery;
        if (queries.Count == 0 || gallery.Count == 0)
            throw new InvalidDataException($"{settings.DataRoot}: evaluation needs query and gallery images, found {queries.Count} query and {gallery.Count} gallery");
        MissingImages.Find(dataset with { Items = [.. queries, .. gallery] }).ThrowIfAny();

        using var embedder = new OnnxEmbedder(settings.ModelPath, new OnnxEmbedderOptions
        {
            IntraOpThreads = settings.Threads, MaxBatchSize = settings.BatchSize, Log = _ => { },
        });
        int dim = embedder.Info.EmbeddingSize, threads = settings.EffectiveThreads;
        var paths = queries.Concat(gallery).Select(dataset.AbsolutePath).ToList();
        var clock = Stopwatch.StartNew();
        var all = ImageBatchEmbedder.Embed(embedder, paths, settings.BatchSize, threads, progress);
        double imagesPerSecond = paths.Count / clock.Elapsed.TotalSeconds;
        var queryVectors = all[..(queries.Count * dim)];
        var galleryVectors = all[(queries.Count * dim)..];

        var codes = new LabelCodes();
        int[] queryLabels = codes.Encode(queries), galleryLabels = codes.Encode(gallery);
        var recallAtK = RetrievalMetrics.InShopRecallAtK;
        const EvaluationMode mode = EvaluationMode.QueryVsGallery;
        int k = Math.Max(settings.AnnRecallK, RetrievalMetrics.RanksNeeded(queryLabels, galleryLabels, mode, recallAtK));

        clock.Restart();
        var exact = ExactSearch.TopK(queryVectors, galleryVectors, dim, k);
        double exactQps = queries.Count / clock.Elapsed.TotalSeconds;

        clock.Restart();
        var index = new HnswIndex(dim, VectorMetric.Cosine, new HnswOptions(settings.M, settings.EfConstruction, settings.Ef,
            InitialCapacity: gallery.Count, BuildThreads: settings.Threads));
        index.Add(galleryVectors, Enumerable.Range(0, gallery.Count).Select(i => (long)i).ToArray());
        double buildSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var approximate = new Neighbor[queries.Count][];
        var search = new SearchParams(settings.Ef);
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = threads },
            q => approximate[q] = index.Search(queryVectors.AsSpan(q * dim, dim), k, search));
        double hnswQps = queries.Count / clock.Elapsed.TotalSeconds;

        var result = new EvalResult(Path.GetFullPath(settings.ModelPath), Path.GetFullPath(settings.DataRoot), queries.Count, gallery.Count, dim,
            embedder.ExecutionProvider, k,
            RetrievalMetrics.Score(exact, queryLabels, galleryLabels, mode, recallAtK),
            RetrievalMetrics.Score(approximate, queryLabels, galleryLabels, mode, recallAtK),
            new HnswSettings(settings.M, settings.EfConstruction, settings.Ef), settings.AnnRecallK,
            AnnRecall.AtK(approximate, exact, settings.AnnRecallK),
            new EvalThroughput(imagesPerSecond, exactQps, hnswQps, buildSeconds, threads));

        Directory.CreateDirectory(settings.OutDir);
        NpyFile.Write(Path.Combine(settings.OutDir, EvalFiles.GalleryEmbeddings), galleryVectors, gallery.Count, dim);
        EvalFiles.Write(result, settings.OutDir);
        EvalPictures.Write(settings.OutDir, dataset, queries, gallery, mode, exact, approximate, new Core.Pictures.RetrievalGridSettings());
        return result;
    }
}
