namespace Retrieval.Core.Data;

/// <summary>Which part of a retrieval benchmark an image belongs to (CUB/SOP use Test: queries = reference set).</summary>
public enum DatasetSplit
{
    Train,
    Query,
    Gallery,
    Test,
}
