namespace Retrieval.Core.Data;

/// <summary>
/// Stanford Online Products: Ebay_train.txt (Train) and Ebay_test.txt (Test), header
/// "image_id class_id super_class_id path", rows "1 1 1 bicycle_final/111085122871_0.JPG"; label = class_id.
/// </summary>
public static class SopReader
{
    public const string TrainFile = "Ebay_train.txt";
    public const string TestFile = "Ebay_test.txt";

    public static RetrievalDataset Read(string root)
    {
        var items = new List<DatasetItem>();
        ReadFile(Path.Combine(root, TrainFile), DatasetSplit.Train, items);
        ReadFile(Path.Combine(root, TestFile), DatasetSplit.Test, items);
        return new RetrievalDataset(DatasetNames.Of(root), Path.GetFullPath(root), items);
    }

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
