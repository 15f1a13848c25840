namespace Retrieval.Study.Tests;

/// <summary>All TorchSharp tests share one non-parallel collection: libtorch's global state (threads, RNG) is process-wide.</summary>
[CollectionDefinition("TorchSharp", DisableParallelization = true)]
public sealed class TorchSharpCollection;
