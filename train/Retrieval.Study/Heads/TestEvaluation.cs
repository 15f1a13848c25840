using Retrieval.Core.Metrics;
using Retrieval.Study.Features;

namespace Retrieval.Study.Heads;

/// <summary>
/// Test scores of the fold models, as the MLRC protocol reports them: separated (each fold's head alone, averaged over
/// the folds) and concatenated (the folds' unit embeddings joined into one vector of folds x D, rescaled to unit length,
/// so its cosine is the mean of the folds' cosines). In-Shop layout scores queries against the gallery; otherwise the
/// test split against itself with each query's own row excluded.
/// </summary>
public static class TestEvaluation
{
    /// <summary>Each head's own test report, in order.</summary>
    public static IReadOnlyList<RetrievalReport> Separated(IReadOnlyList<HeadWeights> heads, FeatureSet features) =>
        heads.Select(h => Score(h.Embed(features.Query.Vectors), features.Gallery is null ? null : h.Embed(features.Gallery.Vectors), h.Output, features)).ToList();

    /// <summary>The report of the concatenated embedding of all <paramref name="heads"/>.</summary>
    public static RetrievalReport Concatenated(IReadOnlyList<HeadWeights> heads, FeatureSet features)
    {
        var queries = Concatenate(heads.Select(h => h.Embed(features.Query.Vectors)).ToList(), heads.Select(h => h.Output).ToList());
        var gallery = features.Gallery is null ? null
            : Concatenate(heads.Select(h => h.Embed(features.Gallery.Vectors)).ToList(), heads.Select(h => h.Output).ToList());
        return Score(queries, gallery, heads.Sum(h => h.Output), features);
    }

    /// <summary>The test score of the backbone features themselves, L2-normalised (no head, no training): the floor every loss should beat.</summary>
    public static Results.MetricTriple RawFeatures(FeatureSet features)
    {
        float[] Unit(LabeledFeatures f)
        {
            var v = (float[])f.Vectors.Clone();
            for (var r = 0; r < f.Count; r++)
            {
                var row = v.AsSpan(r * f.Dimension, f.Dimension);
                var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(row, row));
                if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
            }
            return v;
        }
        var report = Score(Unit(features.Query), features.Gallery is null ? null : Unit(features.Gallery), features.Dimension, features);
        return Results.MetricTriple.Of(report);
    }

    /// <summary>Row i of the result = [row i of part 0, row i of part 1, ...] / sqrt(parts): unit rows when the parts have unit rows.</summary>
    public static float[] Concatenate(IReadOnlyList<float[]> parts, IReadOnlyList<int> dimensions)
    {
        var rows = parts[0].Length / dimensions[0];
        var width = dimensions.Sum();
        var scale = 1 / MathF.Sqrt(parts.Count);
        var result = new float[rows * width];
        for (var r = 0; r < rows; r++)
        {
            var offset = 0;
            for (var p = 0; p < parts.Count; p++)
            {
                var row = parts[p].AsSpan(r * dimensions[p], dimensions[p]);
                for (var j = 0; j < row.Length; j++) result[r * width + offset + j] = row[j] * scale;
                offset += dimensions[p];
            }
        }
        return result;
    }

    private static RetrievalReport Score(float[] queries, float[]? gallery, int dimension, FeatureSet features)
    {
        var queryLabels = Labels(features.Query, features.Gallery);
        return gallery is null
            ? RetrievalMetrics.EvaluateExact(queries, queryLabels, queries, queryLabels, dimension, EvaluationMode.QueryIsReference, [])
            : RetrievalMetrics.EvaluateExact(queries, queryLabels, gallery, Labels(features.Gallery!, features.Query), dimension, EvaluationMode.QueryVsGallery, []);
    }

    /// <summary>Integer labels of <paramref name="set"/> in a class index shared with <paramref name="other"/>.</summary>
    private static int[] Labels(LabeledFeatures set, LabeledFeatures? other)
    {
        var index = set.ClassIds.Concat(other?.ClassIds ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        return set.ClassIds.Select(c => index[c]).ToArray();
    }
}
