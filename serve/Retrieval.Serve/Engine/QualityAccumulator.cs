namespace Retrieval.Serve.Engine;

/// <summary>
/// Accumulates per-query retrieval quality from ranked label lists ("A Metric Learning Reality Check" definitions):
/// with R = same-label gallery items, P@1 = rel(1), R-Precision = hits in top R / R, MAP@R = (1/R) Σ_{i≤R} P(i)·rel(i),
/// Recall@K = 1 when a same-label item is in the top K.
/// </summary>
public sealed class QualityAccumulator(IReadOnlyList<int> recallKs)
{
    private int _queries, _excluded;
    private double _p1, _rp, _map;
    private readonly double[] _recall = new double[recallKs.Count];

    /// <summary>Ranks needed per query for a given R: enough for both MAP@R and the largest Recall@K.</summary>
    public int RanksNeeded(int relevant) => Math.Max(relevant, recallKs.Count == 0 ? 1 : recallKs.Max());

    /// <summary>Adds one query: its ranked neighbour labels and R; a query with R = 0 is counted as excluded.</summary>
    public void Add(IReadOnlyList<string> rankedLabels, string label, int relevant)
    {
        if (relevant == 0) { _excluded++; return; }
        _queries++;
        int hits = 0;
        double sumPrecision = 0;
        for (int i = 0; i < Math.Min(relevant, rankedLabels.Count); i++)
        {
            if (rankedLabels[i] != label) continue;
            hits++;
            sumPrecision += hits / (double)(i + 1);
        }
        _p1 += rankedLabels.Count > 0 && rankedLabels[0] == label ? 1 : 0;
        _rp += hits / (double)relevant;
        _map += sumPrecision / relevant;
        for (int j = 0; j < recallKs.Count; j++)
            if (rankedLabels.Take(recallKs[j]).Contains(label)) _recall[j]++;
    }

    /// <summary>The averages so far.</summary>
    public QualityReport Report()
    {
        double n = Math.Max(_queries, 1);
        var recall = recallKs.Select((k, j) => (k, v: _recall[j] / n)).ToDictionary(x => x.k, x => x.v);
        return new QualityReport(_queries, _excluded, _p1 / n, _rp / n, _map / n, recall);
    }
}
