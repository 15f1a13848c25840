using System.Diagnostics.CodeAnalysis;

// Deliberate exceptions to the analyzers (docs/development.md#analyzers), each with its reason.
[assembly: SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Scope = "type", Target = "~T:Retrieval.Core.Search.ExactIndex",
    Justification = "Its ReaderWriterLockSlim holds no OS handle while no wait handle is requested; the index lives as long as its collection.")]
[assembly: SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Scope = "type", Target = "~T:Retrieval.Core.Search.HnswIndex",
    Justification = "Its ReaderWriterLockSlim holds no OS handle while no wait handle is requested; the index lives as long as its collection.")]
