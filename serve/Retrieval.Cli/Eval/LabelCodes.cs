using Retrieval.Core.Data;

namespace Retrieval.Cli.Eval;

/// <summary>Maps string class labels (In-Shop item ids) to dense int codes, the same code for the same label across calls.</summary>
public sealed class LabelCodes
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);

    /// <summary>The code of every item's label, in order; unseen labels get the next code.</summary>
    public int[] Encode(IReadOnlyList<DatasetItem> items) =>
        items.Select(item => _codes.TryGetValue(item.Label, out int code) ? code : _codes[item.Label] = _codes.Count).ToArray();
}
