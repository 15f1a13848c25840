namespace Retrieval.Data.Safety;

/// <summary>Why a data folder is being checked.</summary>
public enum DataDirPurpose
{
    /// <summary>`make train`, `results-losses`, `eval`, `serve`: read it; build only the project's own sets.</summary>
    Use,

    /// <summary>`make data`: write the requested project set into it.</summary>
    Build,
}
