namespace Retrieval.Core.Data;

/// <summary>
/// CUB-200-2011: images.txt ("id relpath" under images/) + image_class_labels.txt ("id class", 1..200).
/// Metric-learning split by class: 1–100 Train, 101–200 Test (train_test_split.txt is ignored).
/// Root may be the CUB_200_2011 folder or its parent.
/// </summary>
public static class CubReader
{
    /// <summary>The folder holding images.txt (root or root/CUB_200_2011), or null.</summary>
    public static string? FindBase(string root) =>
        new[] { root, Path.Combine(root, "CUB_200_2011") }.FirstOrDefault(d => File.Exists(Path.Combine(d, "images.txt")));

    public static RetrievalDataset Read(string root)
    {
        string baseDir = FindBase(root) ?? throw new DatasetFormatException(Path.Combine(root, "images.txt"), 0, "file",
            "not found (looked at root and root/CUB_200_2011)");
        var images = ListFile.Read(Path.Combine(baseDir, "images.txt"));
        var labels = ListFile.Read(Path.Combine(baseDir, "image_class_labels.txt"));

        var classOf = new Dictionary<int, int>();
        foreach (var row in labels.Rows)
        {
            labels.ExpectFields(row, "image_id", "class_id");
            int id = labels.Int(row.Line, "image_id", row.Fields[0], min: 1);
            int cls = labels.Int(row.Line, "class_id", row.Fields[1], 1, 200);
            if (!classOf.TryAdd(id, cls))
                throw new DatasetFormatException(labels.Path, row.Line, "image_id", $"image {id} is labelled twice");
        }

        var seen = new HashSet<int>();
        var items = new List<DatasetItem>(images.Rows.Count);
        foreach (var row in images.Rows)
        {
            images.ExpectFields(row, "image_id", "image_name");
            int id = images.Int(row.Line, "image_id", row.Fields[0], min: 1);
            if (!seen.Add(id))
                throw new DatasetFormatException(images.Path, row.Line, "image_id", $"image {id} is listed twice");
            string path = images.RelativePath(row.Line, "image_name", row.Fields[1]);
            if (!classOf.TryGetValue(id, out int cls))
                throw new DatasetFormatException(images.Path, row.Line, "image_id", $"image {id} has no row in {labels.Path}");
            items.Add(new DatasetItem(path, cls.ToString(System.Globalization.CultureInfo.InvariantCulture),
                cls <= 100 ? DatasetSplit.Train : DatasetSplit.Test));
        }
        return new RetrievalDataset(DatasetNames.Of(baseDir), ImageRoot(baseDir), items);
    }

    /// <summary>The folder listed image paths resolve against: images/ beside images.txt.</summary>
    public static string ImageRoot(string root) => Path.GetFullPath(Path.Combine(FindBase(root) ?? root, "images"));
}
