namespace Retrieval.Serve.Tests;

/// <summary>All TorchSharp tests of this project share one non-parallel collection: libtorch's global state (threads, RNG) is process-wide.</summary>
[CollectionDefinition("TorchSharp", DisableParallelization = true)]
public sealed class TorchSharpCollection;
