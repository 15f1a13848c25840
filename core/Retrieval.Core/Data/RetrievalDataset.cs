namespace Retrieval.Core.Data;

/// <summary>An in-memory description of a retrieval data set: where its images live and every (path, class, split).</summary>
public sealed record RetrievalDataset(string Name, string ImageRoot, IReadOnlyList<DatasetItem> Items)
{
    /// <summary>Absolute path of an item's image file.</summary>
    public string AbsolutePath(DatasetItem item) =>
        Path.GetFullPath(Path.Combine(ImageRoot, item.RelativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>Items of one split, in file order.</summary>
    public IReadOnlyList<DatasetItem> Split(DatasetSplit split) => Items.Where(i => i.Split == split).ToList();

    public IReadOnlyList<DatasetItem> Train => Split(DatasetSplit.Train);
    public IReadOnlyList<DatasetItem> Query => Split(DatasetSplit.Query);
    public IReadOnlyList<DatasetItem> Gallery => Split(DatasetSplit.Gallery);
    public IReadOnlyList<DatasetItem> Test => Split(DatasetSplit.Test);

    /// <summary>
    /// How this set is evaluated: a separate query and gallery split (In-Shop), or one test split that is both the
    /// queries and the reference set, each query's own image excluded (CUB, SOP: the MLRC convention).
    /// </summary>
    public bool QueryIsReference => !Items.Any(i => i.Split == DatasetSplit.Gallery) && Items.Any(i => i.Split == DatasetSplit.Test);

    /// <summary>The images a retrieval index is built over: the gallery split, or the test split when the query set is the reference set.</summary>
    public IReadOnlyList<DatasetItem> Reference => QueryIsReference ? Test : Gallery;

    /// <summary>The images used as queries: the query split, or the test split when the query set is the reference set.</summary>
    public IReadOnlyList<DatasetItem> Queries => QueryIsReference ? Test : Query;

    /// <summary>Image count per split (splits with no images omitted).</summary>
    public IReadOnlyDictionary<DatasetSplit, int> CountsBySplit() =>
        Items.GroupBy(i => i.Split).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Distinct class count per split.</summary>
    public IReadOnlyDictionary<DatasetSplit, int> ClassCountsBySplit() =>
        Items.GroupBy(i => i.Split).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Select(i => i.Label).Distinct().Count());
}
