using Retrieval.Core.IO;

namespace Retrieval.Bench;

/// <summary>A data set written as .npy files for the libraries that run in their own process, and the prefix of every index file.</summary>
public sealed record IndexDatasetFiles(string Data, string Queries, string Truth, string Prefix)
{
    /// <summary>Writes data, queries and truth under the folder, named after the data set.</summary>
    public static IndexDatasetFiles Write(IndexDataset d, string folder)
    {
        string prefix = Path.Combine(folder, d.Name);
        var files = new IndexDatasetFiles(prefix + ".data.npy", prefix + ".queries.npy", prefix + ".truth.npy", prefix);
        NpyFile.Write(files.Data, d.Data, d.Count, d.Dimension);
        NpyFile.Write(files.Queries, d.Queries, d.QueryCount, d.Dimension);
        NpyFile.Write(files.Truth, d.Truth, d.QueryCount, d.K);
        return files;
    }

    /// <summary>Removes the files (and the index files under the prefix) after the data set is done.</summary>
    public void Delete()
    {
        foreach (string f in Directory.GetFiles(Path.GetDirectoryName(Prefix)!, Path.GetFileName(Prefix) + ".*"))
            if (!f.EndsWith(".png", StringComparison.Ordinal)) File.Delete(f);
    }
}
