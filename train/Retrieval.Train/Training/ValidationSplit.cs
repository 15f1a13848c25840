using Retrieval.Core.Data;

namespace Retrieval.Train.Training;

/// <summary>
/// Carves a class-disjoint validation set out of the training classes. Only classes with at least two
/// images can be validation classes (a query needs a same-class reference); they are ordered by a stable
/// FNV-1a hash of the class id and the first round(fraction x classes) are held out. The choice depends
/// only on the class ids, so every machine and every seed gets the same split.
/// </summary>
public static class ValidationSplit
{
    /// <summary>The class ids held out for validation (at least 2).</summary>
    public static IReadOnlySet<string> SelectClasses(IEnumerable<string> itemClassIds, double fraction)
    {
        if (fraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), "validation fraction must be in (0, 1)");
        var counts = itemClassIds.GroupBy(c => c, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var wanted = Math.Max(2, (int)Math.Round(fraction * counts.Count));
        var eligible = counts.Where(kv => kv.Value >= 2).Select(kv => kv.Key)
            .OrderBy(OrderKey).ThenBy(c => c, StringComparer.Ordinal).ToList();
        if (eligible.Count < 2)
            throw new InvalidOperationException("the training split has fewer than 2 classes with at least 2 images; no validation split can be carved from it");
        if (counts.Count - wanted < 2)
            throw new InvalidOperationException($"the training split has only {counts.Count} classes; too few to hold out {wanted} for validation");
        return eligible.Take(wanted).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The order key of a class: FNV-1a 64 of "validation/" + id. The salt keeps it independent of the
    /// data set's own train/test split, which uses the plain hash of the id.
    /// </summary>
    public static ulong OrderKey(string classId) => StableHash.Fnv1a64("validation/" + classId);
}
