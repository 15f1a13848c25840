namespace Retrieval.Serve.Gallery;

/// <summary>
/// Reads the gallery rows of an In-Shop style list_eval_partition.txt (line 1 = row count, line 2 = header, then
/// "image_name item_id evaluation_status" split on whitespace). Gallery row n (0-based) gets item id n.
/// </summary>
public static class InShopGalleryListing
{
    /// <summary>The listing file under <paramref name="dataRoot"/> (root or Eval/).</summary>
    public static string Find(string dataRoot)
    {
        foreach (var candidate in new[] { "list_eval_partition.txt", Path.Combine("Eval", "list_eval_partition.txt") })
        {
            var path = Path.Combine(dataRoot, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"no list_eval_partition.txt under {dataRoot} (looked in the root and Eval/).");
    }

    /// <summary>The gallery rows of the listing under <paramref name="dataRoot"/>.</summary>
    public static List<GallerySource> Read(string dataRoot)
    {
        var path = Find(dataRoot);
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2) throw new InvalidDataException($"{path}: expected a count line and a header line.");
        if (!int.TryParse(lines[0].Trim(), out var declared))
            throw new InvalidDataException($"{path}:1: expected the row count, got '{lines[0].Trim()}'.");
        var rows = new List<GallerySource>();
        int dataRows = 0;
        for (int i = 2; i < lines.Length; i++)
        {
            var fields = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length != 3) throw new InvalidDataException($"{path}:{i + 1}: expected 3 fields (image_name item_id evaluation_status), got {fields.Length}.");
            dataRows++;
            if (fields[2] == "gallery") rows.Add(new GallerySource(rows.Count, fields[1], fields[0]));
            else if (fields[2] is not ("train" or "query"))
                throw new InvalidDataException($"{path}:{i + 1}: evaluation_status must be train, query or gallery, got '{fields[2]}'.");
        }
        if (dataRows != declared) throw new InvalidDataException($"{path}:1: declares {declared} rows, found {dataRows}.");
        return rows;
    }

    /// <summary>Resolves an item's image path: rooted paths as given, relative ones under the data root (or its Img/ folder, as in the In-Shop release).</summary>
    public static string Resolve(string? dataRoot, string imagePath)
    {
        if (Path.IsPathRooted(imagePath) || dataRoot is null) return imagePath;
        var direct = Path.Combine(dataRoot, imagePath);
        var release = Path.Combine(dataRoot, "Img", imagePath);
        return !File.Exists(direct) && File.Exists(release) ? release : direct;
    }
}
