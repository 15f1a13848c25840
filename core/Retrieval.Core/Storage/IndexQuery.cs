using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>
/// One search of a collection's index with an optional item filter and the exact switch.
/// </summary>
/// <remarks>
/// Until the index takes a filter and an exact flag itself (SearchParams.Filter / SearchParams.Exact, the HNSW
/// work), the filter is applied by widening: ask for 4x more neighbours until k pass or the index is exhausted; and
/// exact on an approximate index uses a beam as wide as the index.
/// </remarks>
internal static class IndexQuery
{
    public static Neighbor[] Search(IVectorIndex index, ReadOnlySpan<float> query, int k, int ef, bool exact, Func<long, bool>? accept)
    {
        int count = index.Count;
        if (count == 0) return [];
        int want = Math.Min(k, count);
        int beam = exact ? count : ef;
        for (int ask = want; ; ask = (int)Math.Min(count, (long)ask * 4))
        {
            var found = index.Search(query, ask, new SearchParams(beam));
            if (accept is null) return found;
            var kept = found.Where(n => accept(n.Id)).Take(k).ToArray();
            if (kept.Length >= want || ask >= count || found.Length < ask) return kept;
        }
    }
}
