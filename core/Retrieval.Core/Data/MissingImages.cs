namespace Retrieval.Core.Data;

/// <summary>Checks that every image a data set lists exists on disk; run before training or indexing.</summary>
public sealed record MissingImages(int Count, int Checked, IReadOnlyList<string> First)
{
    /// <summary>Stats every item's file; keeps the first <paramref name="keep"/> missing absolute paths.</summary>
    public static MissingImages Find(RetrievalDataset dataset, int keep = 5)
    {
        int count = 0;
        var first = new List<string>();
        foreach (var item in dataset.Items)
        {
            string path = dataset.AbsolutePath(item);
            if (File.Exists(path))
                continue;
            count++;
            if (first.Count < keep)
                first.Add(path);
        }
        return new MissingImages(count, dataset.Items.Count, first);
    }

    public bool None => Count == 0;

    /// <summary>Throws <see cref="FileNotFoundException"/> with the count and the first paths when any image is missing.</summary>
    public void ThrowIfAny()
    {
        if (!None)
            throw new FileNotFoundException(ToString());
    }

    public override string ToString() => None
        ? $"all {Checked} images present"
        : $"{Count} of {Checked} images missing, first: {string.Join(", ", First)}";
}
