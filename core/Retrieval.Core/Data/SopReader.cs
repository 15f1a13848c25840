namespace Retrieval.Core.Data;

/// <summary>
/// Stanford Online Products: Ebay_train.txt (Train) and Ebay_test.txt (Test), header
/// "image_id class_id super_class_id path", rows "1 1 1 bicycle_final/111085122871_0.JPG"; label = class_id.
/// Root may be the Stanford_Online_Products folder or its parent.
/// </summary>
public static class SopReader
{
    public const string TrainFile = "Ebay_train.txt";
    public const string TestFile = "Ebay_test.txt";

    public const string ReleaseFolder = "Stanford_Online_Products";

    /// <summary>The folder holding Ebay_train.txt (root or root/Stanford_Online_Products), or null.</summary>
    public static string? FindBase(string root) =>
        new[] { root, Path.Combine(root, ReleaseFolder) }.FirstOrDefault(d => File.Exists(Path.Combine(d, TrainFile)));

    public static RetrievalDataset Read(string root)
    {
        string baseDir = FindBase(root) ?? throw new DatasetFormatException(Path.Combine(root, TrainFile), 0, "file",
            $"not found (looked at root and root/{ReleaseFolder})");
        var items = new List<DatasetItem>();
        ReadFile(Path.Combine(baseDir, TrainFile), DatasetSplit.Train, items);
        ReadFile(Path.Combine(baseDir, TestFile), DatasetSplit.Test, items);
        return new RetrievalDataset(DatasetNames.Of(baseDir), ImageRoot(baseDir), items);
    }

    /// <summary>The folder listed image paths resolve against: the one holding Ebay_train.txt.</summary>
    public static string ImageRoot(string root) => Path.GetFullPath(FindBase(root) ?? root);

    private static void ReadFile(string path, DatasetSplit split, List<DatasetItem> items)
    {
        var list = ListFile.Read(path);
        if (list.Rows.Count == 0 || !list.Rows[0].Fields.SequenceEqual(["image_id", "class_id", "super_class_id", "path"]))
            throw new DatasetFormatException(path, list.Rows.Count == 0 ? 0 : list.Rows[0].Line, "header",
                "expected 'image_id class_id super_class_id path'");
        foreach (var row in list.Rows.Skip(1))
        {
            list.ExpectFields(row, "image_id", "class_id", "super_class_id", "path");
            list.Int(row.Line, "image_id", row.Fields[0], min: 1);
            int cls = list.Int(row.Line, "class_id", row.Fields[1], min: 1);
            list.Int(row.Line, "super_class_id", row.Fields[2], min: 1);
            string rel = list.RelativePath(row.Line, "path", row.Fields[3]);
            items.Add(new DatasetItem(rel, cls.ToString(System.Globalization.CultureInfo.InvariantCulture), split));
        }
    }
}
