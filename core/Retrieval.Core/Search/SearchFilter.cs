namespace Retrieval.Core.Search;

/// <summary>
/// Restricts a search to the items whose id passes a predicate. The HNSW index applies it inside the graph
/// search (items that fail still route, they are never returned) and switches to an exact scan over the matching
/// items when the filter is so selective that the graph walk would cost more than the scan.
/// </summary>
/// <remarks>
/// The predicate is called from the search thread, possibly from several searches at once, and must not block
/// or call back into the index. <see cref="EstimatedMatches"/> lets the index choose the cheaper path up front;
/// without it the index estimates the share of matching items from a sample.
/// </remarks>
public sealed class SearchFilter
{
    private readonly Func<long, bool> _predicate;

    private SearchFilter(Func<long, bool> predicate, int? estimatedMatches)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if (estimatedMatches < 0) throw new ArgumentException($"estimatedMatches must be >= 0, got {estimatedMatches}.", nameof(estimatedMatches));
        _predicate = predicate;
        EstimatedMatches = estimatedMatches;
    }

    /// <summary>About how many live items pass (null = unknown); only steers the choice between graph and scan.</summary>
    public int? EstimatedMatches { get; }

    /// <summary>Items whose id passes <paramref name="predicate"/>; give <paramref name="estimatedMatches"/> when it is cheap to know.</summary>
    public static SearchFilter Where(Func<long, bool> predicate, int? estimatedMatches = null) => new(predicate, estimatedMatches);

    /// <summary>Only the ids in the set (which must not change while a search runs).</summary>
    public static SearchFilter AllowIds(IReadOnlySet<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return new(ids.Contains, ids.Count);
    }

    /// <summary>Whether the item with this id may be returned.</summary>
    public bool Matches(long id) => _predicate(id);
}
