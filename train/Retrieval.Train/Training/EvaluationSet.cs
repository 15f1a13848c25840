using Retrieval.Core.Metrics;
using Retrieval.Train.Data;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>
/// An evaluation split: queries and, in In-Shop layout, a separate gallery (null: each query is also a reference,
/// itself excluded). Decoded images are cached across calls, so validating every epoch decodes each image once.
/// </summary>
public sealed class EvaluationSet
{
    private readonly EmbeddingSettings _settings;
    private readonly ImageStore _queryImages;
    private readonly ImageStore? _galleryImages;

    public EvaluationSet(IReadOnlyList<LabeledImage> queries, IReadOnlyList<LabeledImage>? gallery, EmbeddingSettings settings)
    {
        Queries = queries;
        Gallery = gallery;
        _settings = settings;
        _queryImages = new ImageStore(queries.Select(i => i.Path).ToList(), settings.CacheBytes);
        _galleryImages = gallery is null ? null : new ImageStore(gallery.Select(i => i.Path).ToList(), settings.CacheBytes);
    }

    public IReadOnlyList<LabeledImage> Queries { get; }
    public IReadOnlyList<LabeledImage>? Gallery { get; }

    /// <summary>The embeddings of the queries and (when there is one) of the gallery, row per image, in order.</summary>
    public (float[][] Queries, float[][]? Gallery) Embed(nn.Module<Tensor, Tensor> model, Device device) =>
        (Embed(model, device, _queryImages), _galleryImages is null ? null : Embed(model, device, _galleryImages));

    /// <summary>P@1, R-Precision, MAP@R and Recall@K of <paramref name="model"/> on this split (exact search, cosine).</summary>
    public RetrievalReport Score(nn.Module<Tensor, Tensor> model, Device device, IReadOnlyList<int> recallAtK) =>
        Score(Embed(model, device), recallAtK);

    /// <summary>The metrics of embeddings <see cref="Embed"/> returned (embed once, use for metrics and pictures).</summary>
    public RetrievalReport Score((float[][] Queries, float[][]? Gallery) embedded, IReadOnlyList<int> recallAtK)
    {
        var (queries, gallery) = embedded;
        var dim = queries.Length == 0 ? 1 : queries[0].Length;
        var flatQueries = queries.SelectMany(v => v).ToArray();
        var queryLabels = Queries.Select(i => i.Label).ToArray();
        return gallery is null
            ? RetrievalMetrics.EvaluateExact(flatQueries, queryLabels, flatQueries, queryLabels, dim, EvaluationMode.QueryIsReference, recallAtK)
            : RetrievalMetrics.EvaluateExact(flatQueries, queryLabels, gallery.SelectMany(v => v).ToArray(), Gallery!.Select(i => i.Label).ToArray(),
                dim, EvaluationMode.QueryVsGallery, recallAtK);
    }

    private float[][] Embed(nn.Module<Tensor, Tensor> model, Device device, ImageStore images) =>
        Embedder.Embed(model, new EvalBatchBuilder(images, _settings.Preprocess, _settings.BatchSize), _settings.Preprocess.CropSize, device, _settings.PrefetchBatches);
}
