namespace Retrieval.Core.Data;

/// <summary>Derives a data set's display name from its root folder.</summary>
internal static class DatasetNames
{
    public static string Of(string root) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
}
