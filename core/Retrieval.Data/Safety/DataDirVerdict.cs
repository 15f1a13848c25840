namespace Retrieval.Data.Safety;

/// <summary>What make may do with a data folder (see <see cref="DataDirCheck"/>).</summary>
public enum DataDirAction
{
    /// <summary>Use it as it is: the project's own complete set, or a data set DatasetLoader reads that make did not build.</summary>
    Use,

    /// <summary>Build the requested project set into it: it is absent (and may be created) or the project's own, stale or incomplete.</summary>
    Build,

    /// <summary>Neither: the message says why, naming the folder.</summary>
    Refuse,
}

/// <summary>The decision about one data folder and the one line that explains it.</summary>
public sealed record DataDirVerdict(DataDirAction Action, string Message);
