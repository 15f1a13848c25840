using Retrieval.Core.Search;

namespace Retrieval.Cli.Eval;

/// <summary>An approximate index's recall@k against exact search: the mean share of the exact top-k ids the index also returns in its top k.</summary>
public static class AnnRecall
{
    /// <summary>Mean over queries of |approx top-k ∩ exact top-k| / |exact top-k|; queries with no exact neighbours are skipped.</summary>
    public static double AtK(IReadOnlyList<Neighbor[]> approximate, IReadOnlyList<Neighbor[]> exact, int k)
    {
        if (approximate.Count != exact.Count)
            throw new ArgumentException($"{approximate.Count} approximate rankings but {exact.Count} exact ones");
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < exact.Count; q++)
        {
            var truth = exact[q].Take(k).Select(n => n.Id).ToHashSet();
            if (truth.Count == 0) continue;
            sum += approximate[q].Take(k).Count(n => truth.Contains(n.Id)) / (double)truth.Count;
            counted++;
        }
        return counted == 0 ? 1.0 : sum / counted;
    }
}
