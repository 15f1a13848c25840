using Retrieval.Core.Search;

namespace Retrieval.Core.Metrics;

/// <summary>
/// Scores rankings as pytorch-metric-learning's AccuracyCalculator does. For a query with label y, R = the number of
/// references labelled y (its own row excluded in <see cref="EvaluationMode.QueryIsReference"/>); P@1 = 1[first is y];
/// R-Precision = (hits in the top R) / R; MAP@R = (1/R) sum_{i&lt;=R} P(i) 1[i-th is y]; Recall@K = 1[a y in the top K].
/// Queries with R = 0 are excluded (and counted). The result is the plain average over the scored queries.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>The Recall@K list of the DeepFashion In-Shop protocol.</summary>
    public static readonly IReadOnlyList<int> InShopRecallAtK = [1, 10, 20, 30, 40, 50];

    /// <summary>How many ranks every query needs: the largest R of any query and the largest K.</summary>
    public static int RanksNeeded(int[] queryLabels, int[] referenceLabels, EvaluationMode mode, IReadOnlyList<int> recallAtK)
    {
        var counts = CountLabels(referenceLabels);
        int selfOffset = mode == EvaluationMode.QueryIsReference ? 1 : 0;
        int maxR = queryLabels.Length == 0 ? 0 : queryLabels.Max(l => counts.GetValueOrDefault(l) - selfOffset);
        return Math.Max(1, Math.Max(maxR, recallAtK.Count == 0 ? 1 : recallAtK.Max()));
    }

    /// <summary>
    /// Scores one ranking per query; Neighbor.Id is the reference row index and, in QueryIsReference mode, the query's
    /// own row must already be left out. A ranking shorter than R counts the missing ranks as misses.
    /// </summary>
    public static RetrievalReport Score(IReadOnlyList<Neighbor[]> rankings, int[] queryLabels, int[] referenceLabels,
        EvaluationMode mode, IReadOnlyList<int> recallAtK)
    {
        if (rankings.Count != queryLabels.Length)
            throw new ArgumentException($"{rankings.Count} rankings for {queryLabels.Length} query labels", nameof(rankings));
        if (recallAtK.Any(k => k < 1)) throw new ArgumentException("every Recall@K needs K >= 1", nameof(recallAtK));
        var counts = CountLabels(referenceLabels);
        int selfOffset = mode == EvaluationMode.QueryIsReference ? 1 : 0;
        int scored = 0, excluded = 0;
        double p1 = 0, rp = 0, map = 0;
        var recall = new double[recallAtK.Count];
        for (int q = 0; q < rankings.Count; q++)
        {
            int label = queryLabels[q];
            int relevant = counts.GetValueOrDefault(label) - selfOffset;
            if (relevant <= 0) { excluded++; continue; }
            scored++;
            var ranking = rankings[q];
            int hits = 0;
            double precisionSum = 0;
            for (int i = 0; i < Math.Min(relevant, ranking.Length); i++)
            {
                if (referenceLabels[ranking[i].Id] != label) continue;
                hits++;
                precisionSum += hits / (double)(i + 1);
            }
            p1 += ranking.Length > 0 && referenceLabels[ranking[0].Id] == label ? 1 : 0;
            rp += hits / (double)relevant;
            map += precisionSum / relevant;
            int firstHit = FirstHit(ranking, referenceLabels, label);
            for (int j = 0; j < recallAtK.Count; j++)
                if (firstHit < recallAtK[j]) recall[j]++;
        }
        double n = Math.Max(scored, 1);
        var recallAt = new SortedDictionary<int, double>();
        for (int j = 0; j < recallAtK.Count; j++) recallAt[recallAtK[j]] = recall[j] / n;
        return new RetrievalReport(scored, excluded, p1 / n, rp / n, map / n, recallAt);
    }

    /// <summary>Exact cosine search of L2-normalised embeddings (flat row-major), then <see cref="Score"/>.</summary>
    public static RetrievalReport EvaluateExact(float[] queries, int[] queryLabels, float[] references, int[] referenceLabels,
        int dimension, EvaluationMode mode, IReadOnlyList<int> recallAtK)
    {
        if (mode == EvaluationMode.QueryIsReference && !ReferenceEquals(queries, references) && !queries.AsSpan().SequenceEqual(references))
            throw new ArgumentException("QueryIsReference mode needs the same query and reference embeddings", nameof(references));
        int k = RanksNeeded(queryLabels, referenceLabels, mode, recallAtK);
        var rankings = ExactSearch.TopK(queries, references, dimension, k, VectorMetric.Cosine,
            excludeSelf: mode == EvaluationMode.QueryIsReference);
        return Score(rankings, queryLabels, referenceLabels, mode, recallAtK);
    }

    private static int FirstHit(Neighbor[] ranking, int[] referenceLabels, int label)
    {
        for (int i = 0; i < ranking.Length; i++)
            if (referenceLabels[ranking[i].Id] == label) return i;
        return int.MaxValue;
    }

    private static Dictionary<int, int> CountLabels(int[] labels)
    {
        var counts = new Dictionary<int, int>();
        foreach (int label in labels) counts[label] = counts.GetValueOrDefault(label) + 1;
        return counts;
    }
}
