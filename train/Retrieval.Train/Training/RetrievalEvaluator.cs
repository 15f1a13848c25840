namespace Retrieval.Train.Training;

/// <summary>Scores embeddings with core's exact search and retrieval metrics (P@1, R-Precision, MAP@R, Recall@K).</summary>
public static class RetrievalEvaluator
{
    /// <summary>Query vs gallery when <paramref name="gallery"/> is given, else query = reference with self excluded.</summary>
    public static RetrievalScores Score(float[][] queries, int[] queryLabels, float[][]? gallery, int[]? galleryLabels, IReadOnlyList<int> recallAtK)
    {
        // TEMPORARY brute force until the metrics branch lands.
        var refs = gallery ?? queries;
        var refLabels = galleryLabels ?? queryLabels;
        double p1 = 0, rp = 0, map = 0; var n = 0;
        var recall = recallAtK.ToDictionary(k => k, _ => 0.0);
        for (var q = 0; q < queries.Length; q++)
        {
            var order = Enumerable.Range(0, refs.Length).Where(r => gallery is not null || r != q)
                .OrderByDescending(r => Dot(queries[q], refs[r])).ThenBy(r => r).ToArray();
            var R = order.Count(r => refLabels[r] == queryLabels[q]);
            if (R == 0) continue;
            n++;
            p1 += refLabels[order[0]] == queryLabels[q] ? 1 : 0;
            int hits = 0; double ap = 0;
            for (var i = 0; i < R; i++) if (refLabels[order[i]] == queryLabels[q]) { hits++; ap += (double)hits / (i + 1); }
            rp += (double)hits / R; map += ap / R;
            foreach (var k in recallAtK) if (order.Take(k).Any(r => refLabels[r] == queryLabels[q])) recall[k]++;
        }
        return new RetrievalScores(p1 / n, rp / n, map / n, recall.ToDictionary(kv => kv.Key, kv => kv.Value / n), n);
    }

    private static double Dot(float[] a, float[] b) { double s = 0; for (var i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
}
