using Retrieval.Core.Imaging;
using Retrieval.Core.IO;

namespace Retrieval.Core.Data.Building;

/// <summary>
/// Builds a data set in a staging folder beside the destination, then swaps it in with directory renames:
/// an interrupted build leaves the previous data set (or nothing) in place, never a half-written one.
/// </summary>
public sealed class InShopStaging : IDisposable
{
    private readonly string _outDir;
    private readonly List<DatasetItem> _items = [];
    private bool _committed;

    public InShopStaging(string outDir)
    {
        _outDir = Path.GetFullPath(outDir);
        Directory.CreateDirectory(Path.GetDirectoryName(_outDir)!);
        StageRoot = $"{_outDir}.staging-{Environment.ProcessId}";
        if (Directory.Exists(StageRoot))
            Directory.Delete(StageRoot, recursive: true);
        Directory.CreateDirectory(StageRoot);
    }

    public string StageRoot { get; }

    public IReadOnlyList<DatasetItem> Items => _items;

    /// <summary>Writes the image as an RGB PNG at StageRoot/relativePath and records its row.</summary>
    public void Add(string relativePath, string label, DatasetSplit split, RgbImage image)
    {
        string path = Path.Combine(StageRoot, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, ImageEncoder.EncodePng(image));
        _items.Add(new DatasetItem(relativePath, label, split));
    }

    /// <summary>Writes DATASET.md and the list (last), then replaces the destination folder.</summary>
    public RetrievalDataset Commit(Func<RetrievalDataset, string> datasetMarkdown)
    {
        var dataset = new RetrievalDataset(Path.GetFileName(_outDir), _outDir, _items);
        AtomicFile.WriteAllText(Path.Combine(StageRoot, "DATASET.md"), datasetMarkdown(dataset));
        InShopListWriter.Write(Path.Combine(StageRoot, InShopReader.ListFileName), _items);
        string old = $"{_outDir}.old-{Environment.ProcessId}";
        if (Directory.Exists(_outDir))
            Directory.Move(_outDir, old);
        Directory.Move(StageRoot, _outDir);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        _committed = true;
        return dataset;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(StageRoot))
            Directory.Delete(StageRoot, recursive: true);
    }
}
