namespace Retrieval.Serve.Engine;

/// <summary>Outcome of a model swap: the new model's identity, the new gallery size and the items dropped because their image could not be read.</summary>
public sealed record ReloadResult(string ModelSha256, int IndexSize, int DroppedItems);
