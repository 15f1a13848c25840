namespace Retrieval.Bench;

/// <summary>One library's results in an index benchmark: build time and a row per ef.</summary>
public sealed record IndexBenchSide(string Library, double BuildSeconds, IReadOnlyList<IndexBenchRow> Rows);
