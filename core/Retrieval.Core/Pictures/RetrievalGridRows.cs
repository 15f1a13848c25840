using Retrieval.Core.Metrics;
using Retrieval.Core.Search;

namespace Retrieval.Core.Pictures;

/// <summary>
/// The rows of a qualitative grid: a seeded sample of queries and their top-k references, from rankings already computed
/// (offline evaluation) or from embeddings (the trainer's test split; exact cosine search of the sampled queries only).
/// </summary>
public static class RetrievalGridRows
{
    /// <summary>
    /// <paramref name="take"/> distinct query indices out of <paramref name="count"/>, ascending: a partial Fisher-Yates
    /// shuffle with a seeded <see cref="Random"/>, so the same seed and count always pick the same queries.
    /// </summary>
    public static int[] SampleQueries(int count, int take, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new Random(seed);
        int n = Math.Min(take, count);
        for (int i = 0; i < n; i++)
        {
            int j = rng.Next(i, count);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var picked = order[..n];
        Array.Sort(picked);
        return picked;
    }

    /// <summary>
    /// Rows for the sampled queries from full rankings (Neighbor.Id = reference row, Distance = 1 − cosine), as
    /// <see cref="ExactSearch"/> returns them; in QueryIsReference mode the query's own row is already left out.
    /// </summary>
    public static IReadOnlyList<GridQuery> FromRankings(IReadOnlyList<Neighbor[]> rankings, IReadOnlyList<GridImage> queries,
        IReadOnlyList<GridImage> references, RetrievalGridSettings settings)
    {
        settings.Validate();
        if (rankings.Count != queries.Count)
            throw new ArgumentException($"{rankings.Count} rankings for {queries.Count} queries", nameof(rankings));
        return SampleQueries(queries.Count, settings.Queries, settings.Seed)
            .Select(q => Row(queries[q], rankings[q].Take(settings.K), references))
            .ToList();
    }

    /// <summary>
    /// Rows for the sampled queries from L2-normalised embeddings (flat row-major, <paramref name="dimension"/> wide):
    /// exact cosine search of just those queries against every reference; in QueryIsReference mode the query and reference
    /// sets are the same and a query's own row is skipped.
    /// </summary>
    public static IReadOnlyList<GridQuery> FromEmbeddings(float[] queryVectors, IReadOnlyList<GridImage> queries,
        float[] referenceVectors, IReadOnlyList<GridImage> references, int dimension, EvaluationMode mode, RetrievalGridSettings settings)
    {
        settings.Validate();
        if (queryVectors.Length != queries.Count * dimension || referenceVectors.Length != references.Count * dimension)
            throw new ArgumentException($"embeddings do not match {queries.Count} queries and {references.Count} references of dimension {dimension}");
        var picked = SampleQueries(queries.Count, settings.Queries, settings.Seed);
        if (picked.Length == 0 || references.Count == 0) return [];
        var sampled = new float[picked.Length * dimension];
        for (int i = 0; i < picked.Length; i++)
            queryVectors.AsSpan(picked[i] * dimension, dimension).CopyTo(sampled.AsSpan(i * dimension));
        bool self = mode == EvaluationMode.QueryIsReference;
        var rankings = ExactSearch.TopK(sampled, referenceVectors, dimension, settings.K + (self ? 1 : 0));
        return picked.Select((q, i) => Row(queries[q],
                rankings[i].Where(n => !self || n.Id != q).Take(settings.K), references))
            .ToList();
    }

    private static GridQuery Row(GridImage query, IEnumerable<Neighbor> ranking, IReadOnlyList<GridImage> references) =>
        new(query, ranking.Select(n =>
        {
            var reference = references[checked((int)n.Id)];
            return new GridNeighbor(reference, 1f - n.Distance, string.Equals(reference.Label, query.Label, StringComparison.Ordinal));
        }).ToList());
}
