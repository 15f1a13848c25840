namespace Retrieval.Serve.Engine;

/// <summary>One item to add or replace: id, label, encoded image, an optional path recorded with it, and optional attributes.</summary>
public sealed record UpsertInput(long Id, string Label, byte[] Image, string ImagePath, IReadOnlyDictionary<string, string>? Attributes = null);
