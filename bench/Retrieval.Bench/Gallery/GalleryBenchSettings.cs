namespace Retrieval.Bench.Gallery;

/// <summary>Settings of `retrieval-bench gallery`.</summary>
/// <param name="ServerExe">retrieval-server executable.</param>
/// <param name="Dimension">Embedding size of the synthetic items (and of the exported model).</param>
/// <param name="Single">Timed upserts of one item.</param>
/// <param name="Batches">Timed upserts of 100 items.</param>
/// <param name="LoadBatch">Items per UpsertVectors call while filling the gallery.</param>
/// <param name="CompactAfter">Server setting: changed items per compaction.</param>
/// <param name="BaselineMax">Largest N also measured with the previous design (it rebuilds the graph at start).</param>
/// <param name="BaselineSingle">Timed single upserts of the previous design (each rewrites the whole file).</param>
/// <param name="BaselineBatches">Timed 100-item upserts of the previous design.</param>
/// <param name="Seed">Seed of the synthetic vectors.</param>
public sealed record GalleryBenchSettings(
    string ServerExe, int Dimension, int Single, int Batches, int LoadBatch, int CompactAfter, int BaselineMax,
    int BaselineSingle, int BaselineBatches, int Seed);
