using Retrieval.Core.Data;
using Retrieval.Core.Imaging;
using Retrieval.Core.IO;
using Retrieval.Data.Safety;

namespace Retrieval.Data.Building;

/// <summary>
/// Builds a data set in a fresh staging folder beside the destination, then swaps it in with directory renames: an
/// interrupted build leaves the previous data set (or nothing) in place, never a half-written one. Only folders that
/// carry the project's <see cref="DatasetMarker"/> are replaced; the only folders deleted are the staging folder this
/// instance created and a replaced folder whose marker was checked just before it was moved aside.
/// </summary>
public sealed class InShopStaging : IDisposable
{
    private readonly string _outDir;
    private readonly List<DatasetItem> _items = [];
    private bool _committed;

    /// <exception cref="IOException">The destination exists and is not a data set this project built.</exception>
    public InShopStaging(string outDir, DatasetMarker marker)
    {
        _outDir = Path.GetFullPath(outDir);
        EnsureReplaceable(_outDir);
        Directory.CreateDirectory(Path.GetDirectoryName(_outDir)!);
        StageRoot = CreateFresh($"{_outDir}.staging");
        marker.WriteTo(StageRoot);
    }

    public string StageRoot { get; }

    public IReadOnlyList<DatasetItem> Items => _items;

    /// <summary>Writes the image as an RGB PNG at StageRoot/relativePath and records its row.</summary>
    public void Add(string relativePath, string label, DatasetSplit split, RgbImage image) =>
        Add(relativePath, label, split, ImageEncoder.EncodePng(image));

    /// <summary>Writes already encoded PNG bytes at StageRoot/relativePath and records its row.</summary>
    public void Add(string relativePath, string label, DatasetSplit split, byte[] png)
    {
        AddFile(relativePath, png);
        _items.Add(new DatasetItem(relativePath, label, split));
    }

    /// <summary>Writes a file that is not a data set image (a picture for DATASET.md) at StageRoot/relativePath.</summary>
    public void AddFile(string relativePath, byte[] bytes)
    {
        string path = Path.Combine(StageRoot, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes DATASET.md and the list (last), then replaces the destination folder.</summary>
    public RetrievalDataset Commit(Func<RetrievalDataset, string> datasetMarkdown)
    {
        var dataset = new RetrievalDataset(Path.GetFileName(_outDir), _outDir, _items);
        AtomicFile.WriteAllText(Path.Combine(StageRoot, "DATASET.md"), datasetMarkdown(dataset));
        InShopListWriter.Write(Path.Combine(StageRoot, InShopReader.ListFileName), _items);
        string? old = null;
        if (Directory.Exists(_outDir))
        {
            EnsureReplaceable(_outDir);   // checked again: the folder may have changed while the set was built
            old = FreshName($"{_outDir}.old");
            Directory.Move(_outDir, old);
        }
        Directory.Move(StageRoot, _outDir);
        _committed = true;
        if (old is not null)
            Directory.Delete(old, recursive: true);
        return dataset;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(StageRoot))
            Directory.Delete(StageRoot, recursive: true);
    }

    private static void EnsureReplaceable(string dir)
    {
        if (File.Exists(dir))
            throw new IOException($"refusing to write a data set at {dir}: it is a file");
        if (Directory.Exists(dir) && DatasetMarker.Read(dir) is null)
            throw new IOException($"refusing to replace {dir}: it exists and was not built by make data (no {DatasetMarker.FileName}); " +
                                  "nothing was changed — choose another folder or remove it yourself");
    }

    /// <summary>Creates a folder named prefix-pid-random that did not exist before (never reuses one it merely found).</summary>
    private static string CreateFresh(string prefix)
    {
        string path = FreshName(prefix);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FreshName(string prefix)
    {
        while (true)
        {
            string path = $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
            if (!Directory.Exists(path) && !File.Exists(path))
                return path;
        }
    }
}
