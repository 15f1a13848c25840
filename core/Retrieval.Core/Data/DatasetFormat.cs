namespace Retrieval.Core.Data;

/// <summary>The data set layouts <see cref="DatasetLoader"/> reads.</summary>
public enum DatasetFormat
{
    /// <summary>DeepFashion In-Shop (the layout the project's own sets are written in): train, query and gallery splits.</summary>
    InShop,

    /// <summary>CUB-200-2011: classes 1-100 train, 101-200 test (query = reference set).</summary>
    Cub,

    /// <summary>Stanford Online Products: Ebay_train.txt / Ebay_test.txt (query = reference set).</summary>
    Sop,
}
