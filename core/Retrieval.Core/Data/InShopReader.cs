namespace Retrieval.Core.Data;

/// <summary>
/// DeepFashion In-Shop: list_eval_partition.txt (line 1 row count, line 2 header
/// "image_name item_id evaluation_status", rows "img/... id_000... train|query|gallery") at root or root/Eval.
/// Images resolve against root when root/img exists, else root/Img (the release's layout).
/// </summary>
public static class InShopReader
{
    public const string ListFileName = "list_eval_partition.txt";

    /// <summary>The list file under <paramref name="root"/> or root/Eval, or null.</summary>
    public static string? FindListFile(string root) =>
        new[] { Path.Combine(root, ListFileName), Path.Combine(root, "Eval", ListFileName) }.FirstOrDefault(File.Exists);

    public static RetrievalDataset Read(string root)
    {
        string listPath = FindListFile(root) ?? throw new DatasetFormatException(Path.Combine(root, ListFileName), 0, "file",
            "not found (looked at root and root/Eval)");
        var list = ListFile.Read(listPath);
        if (list.Rows.Count < 2)
            throw new DatasetFormatException(listPath, 0, "header", "needs a row-count line and a header line");
        var countRow = list.Rows[0];
        list.ExpectFields(countRow, "row_count");
        int expected = list.Int(countRow.Line, "row_count", countRow.Fields[0]);
        var header = list.Rows[1];
        if (!header.Fields.SequenceEqual(["image_name", "item_id", "evaluation_status"]))
            throw new DatasetFormatException(listPath, header.Line, "header",
                $"expected 'image_name item_id evaluation_status', found '{string.Join(' ', header.Fields)}'");

        var items = new List<DatasetItem>(expected);
        foreach (var row in list.Rows.Skip(2))
        {
            list.ExpectFields(row, "image_name", "item_id", "evaluation_status");
            string path = list.RelativePath(row.Line, "image_name", row.Fields[0]);
            DatasetSplit split = row.Fields[2] switch
            {
                "train" => DatasetSplit.Train,
                "query" => DatasetSplit.Query,
                "gallery" => DatasetSplit.Gallery,
                var s => throw new DatasetFormatException(listPath, row.Line, "evaluation_status", $"'{s}' is not train, query or gallery"),
            };
            items.Add(new DatasetItem(path, row.Fields[1], split));
        }
        if (items.Count != expected)
            throw new DatasetFormatException(listPath, countRow.Line, "row_count", $"says {expected} rows but the file has {items.Count}");

        string imageRoot = Directory.Exists(Path.Combine(root, "img")) || !Directory.Exists(Path.Combine(root, "Img"))
            ? root
            : Path.Combine(root, "Img");
        return new RetrievalDataset(DatasetNames.Of(root), Path.GetFullPath(imageRoot), items);
    }
}
