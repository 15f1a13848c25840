using System.Numerics.Tensors;

namespace Retrieval.Study.Features;

/// <summary>
/// How spread out a feature set is: the mean cosine similarity between rows of a seeded random sample of distinct
/// images. Near 1 means every image lies in one narrow cone (as the non-negative pooled ReLU features of a randomly
/// initialised backbone do), which leaves a loss little direction to work with.
/// </summary>
public static class FeatureGeometry
{
    public static double MeanPairwiseCosine(LabeledFeatures features, int sample = 2000, int seed = 1)
    {
        var rows = Enumerable.Range(0, features.Count).ToArray();
        new Random(seed).Shuffle(rows);
        rows = rows.Take(Math.Min(sample, rows.Length)).ToArray();
        double sum = 0;
        long pairs = 0;
        for (var i = 0; i < rows.Length; i++)
            for (var j = i + 1; j < rows.Length; j++)
            {
                sum += TensorPrimitives.CosineSimilarity(features.Row(rows[i]), features.Row(rows[j]));
                pairs++;
            }
        return pairs == 0 ? double.NaN : sum / pairs;
    }
}
