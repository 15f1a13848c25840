namespace Retrieval.Bench;

/// <summary>One library (and storage variant) on one data set: build, save, load and memory figures and a row per ef.</summary>
public sealed record IndexBenchSide(string Library, IndexBuildStats Build, IndexLoadStats? Load, IReadOnlyList<IndexBenchRow> Rows)
{
    /// <summary>Resident bytes per vector after a load in a fresh process (null when not probed).</summary>
    public double? MemoryBytesPerVector(int count) => Load is null ? null : (double)Load.RssBytes / count;

    /// <summary>Index file bytes per vector.</summary>
    public double DiskBytesPerVector(int count) => (double)Build.FileBytes / count;
}
