namespace Retrieval.Bench;

/// <summary>Queries/s at a given recall, interpolated along one library's recall-vs-QPS curve (rows in ef order).</summary>
public static class IndexRecallCurve
{
    /// <summary>
    /// QPS at <paramref name="recall"/>: log-linear between the two ef rows whose recalls bracket it. When even the
    /// smallest ef is above it, that row's QPS (a lower bound: AtLeast = true); null when no ef reaches it.
    /// </summary>
    public static (double Qps, bool AtLeast)? At(IReadOnlyList<IndexBenchRow> rows, double recall, Func<IndexBenchRow, double> qps)
    {
        if (rows.Count == 0) return null;
        if (rows[0].Recall >= recall) return (qps(rows[0]), rows[0].Recall > recall);
        for (int i = 1; i < rows.Count; i++)
        {
            var (lo, hi) = (rows[i - 1], rows[i]);
            if (lo.Recall <= recall && hi.Recall >= recall && hi.Recall > lo.Recall)
            {
                double t = (recall - lo.Recall) / (hi.Recall - lo.Recall);
                return (Math.Exp(Math.Log(qps(lo)) + t * (Math.Log(qps(hi)) - Math.Log(qps(lo)))), false);
            }
        }
        return null;
    }
}
