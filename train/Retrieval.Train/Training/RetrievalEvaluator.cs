using System.Numerics.Tensors;

namespace Retrieval.Train.Training;

/// <summary>
/// Exact retrieval metrics of L2-normalised embeddings (cosine similarity, ties by reference index):
/// P@1, R-Precision, MAP@R (MLRC definitions) and DML Recall@K. Queries whose class has no reference are
/// excluded; with query = reference the query itself is excluded by index.
/// </summary>
public static class RetrievalEvaluator
{
    /// <summary>Query vs gallery when <paramref name="gallery"/> is given, else query = reference with self excluded.</summary>
    public static RetrievalScores Score(float[][] queries, int[] queryLabels, float[][]? gallery, int[]? galleryLabels, IReadOnlyList<int> recallAtK)
    {
        var refs = gallery ?? queries;
        var refLabels = galleryLabels ?? queryLabels;
        var selfExcluded = gallery is null;
        var classCount = refLabels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var perQuery = new (bool Valid, double P1, double RP, double Map, bool[] Hits)[queries.Length];
        Parallel.For(0, queries.Length, q =>
        {
            var label = queryLabels[q];
            var relevant = classCount.GetValueOrDefault(label) - (selfExcluded ? 1 : 0);
            if (relevant <= 0) return;
            var order = Enumerable.Range(0, refs.Length).Where(r => !(selfExcluded && r == q)).ToArray();
            var scores = order.Select(r => -TensorPrimitives.Dot(queries[q], refs[r])).ToArray();
            Array.Sort(scores, order);   // introsort is unstable: fix ties by index below
            StabiliseTies(scores, order);
            int hits = 0;
            double precisionSum = 0;
            for (var i = 0; i < relevant; i++)
                if (refLabels[order[i]] == label) { hits++; precisionSum += (double)hits / (i + 1); }
            var recall = recallAtK.Select(k => order.Take(k).Any(r => refLabels[r] == label)).ToArray();
            perQuery[q] = (true, refLabels[order[0]] == label ? 1 : 0, (double)hits / relevant, precisionSum / relevant, recall);
        });
        var valid = perQuery.Where(p => p.Valid).ToList();
        if (valid.Count == 0) throw new InvalidOperationException("no query has a same-class reference; retrieval metrics are undefined");
        return new RetrievalScores(
            valid.Average(p => p.P1), valid.Average(p => p.RP), valid.Average(p => p.Map),
            recallAtK.Select((k, i) => (k, i)).ToDictionary(t => t.k, t => valid.Average(p => p.Hits[t.i] ? 1.0 : 0.0)),
            valid.Count);
    }

    private static void StabiliseTies(float[] scores, int[] order)
    {
        for (var start = 0; start < scores.Length;)
        {
            var end = start + 1;
            while (end < scores.Length && scores[end] == scores[start]) end++;
            if (end - start > 1) Array.Sort(order, start, end - start);
            start = end;
        }
    }
}
