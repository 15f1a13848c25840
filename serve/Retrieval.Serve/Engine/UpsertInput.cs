namespace Retrieval.Serve.Engine;

/// <summary>One item to add or replace: id, label, encoded image, and an optional path recorded with it.</summary>
public sealed record UpsertInput(long Id, string Label, byte[] Image, string ImagePath);
