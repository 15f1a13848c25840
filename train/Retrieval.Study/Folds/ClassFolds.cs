using Retrieval.Core.Data;

namespace Retrieval.Study.Folds;

/// <summary>
/// Class-disjoint k-fold split of the training classes (the MLRC protocol's cross-validation): classes are ordered by
/// a stable FNV-1a hash of "fold/" + class id (ties by id) and dealt round-robin, so the folds differ in size by at
/// most one class and depend only on the set of class ids — not on item order, seed or machine.
/// </summary>
public static class ClassFolds
{
    /// <summary>Fold index 0..folds-1 of every distinct class id.</summary>
    public static IReadOnlyDictionary<string, int> Assign(IEnumerable<string> classIds, int folds)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "cross-validation needs at least 2 folds");
        var ordered = classIds.Distinct(StringComparer.Ordinal)
            .OrderBy(OrderKey).ThenBy(c => c, StringComparer.Ordinal).ToList();
        if (ordered.Count < 2 * folds)
            throw new InvalidOperationException($"{ordered.Count} training classes are too few for {folds} folds (need at least {2 * folds})");
        return ordered.Select((id, rank) => (id, fold: rank % folds)).ToDictionary(p => p.id, p => p.fold, StringComparer.Ordinal);
    }

    /// <summary>The order key of a class: FNV-1a 64 of "fold/" + id (salted apart from the data set's own split hash).</summary>
    public static ulong OrderKey(string classId) => StableHash.Fnv1a64("fold/" + classId);
}
