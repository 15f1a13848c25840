namespace Retrieval.Core.Pictures;

/// <summary>One retrieved item of a grid row: its image, cosine score, and whether its class matches the query's.</summary>
public sealed record GridNeighbor(GridImage Image, float Score, bool Correct);
