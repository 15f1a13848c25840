namespace Retrieval.Core.Metrics;

/// <summary>How queries relate to the references they are ranked against.</summary>
public enum EvaluationMode
{
    /// <summary>The query set is the reference set (CUB, Cars, SOP): each query's own row is excluded.</summary>
    QueryIsReference,

    /// <summary>Separate query and gallery sets (In-Shop): nothing is excluded.</summary>
    QueryVsGallery,
}
