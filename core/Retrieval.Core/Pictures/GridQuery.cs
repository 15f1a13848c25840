namespace Retrieval.Core.Pictures;

/// <summary>One grid row: a query and its neighbours, best first.</summary>
public sealed record GridQuery(GridImage Query, IReadOnlyList<GridNeighbor> Neighbors);
