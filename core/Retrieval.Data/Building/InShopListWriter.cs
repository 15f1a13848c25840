using System.Text;
using Retrieval.Core.IO;
using Retrieval.Core.Data;

namespace Retrieval.Data.Building;

/// <summary>Writes list_eval_partition.txt in the DeepFashion In-Shop layout, atomically (temp file + rename).</summary>
public static class InShopListWriter
{
    /// <summary>Line 1 row count, line 2 "image_name item_id evaluation_status", then padded rows like the release.</summary>
    public static void Write(string path, IReadOnlyList<DatasetItem> items)
    {
        int nameWidth = items.Count == 0 ? 0 : items.Max(i => i.RelativePath.Length);
        int idWidth = items.Count == 0 ? 0 : items.Max(i => i.Label.Length);
        var text = new StringBuilder();
        text.Append(items.Count).Append('\n');
        text.Append("image_name item_id evaluation_status\n");
        foreach (var item in items)
        {
            if (item.Split is DatasetSplit.Test)
                throw new ArgumentException($"{item.RelativePath}: In-Shop lists have only train, query and gallery");
            if (item.RelativePath.Any(char.IsWhiteSpace) || item.Label.Any(char.IsWhiteSpace))
                throw new ArgumentException($"'{item.RelativePath}' / '{item.Label}': names may not contain whitespace");
            text.Append(item.RelativePath.PadRight(nameWidth + 1))
                .Append(item.Label.PadRight(idWidth + 1))
                .Append(item.Split.ToString().ToLowerInvariant())
                .Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
