using Retrieval.Core.Data;

namespace Retrieval.Data.Safety;

/// <summary>
/// The one rule for data folders, used by every make target that reads or writes one: a folder the project did not
/// build (no <see cref="DatasetMarker"/>) is used as it is when <see cref="DatasetLoader"/> reads it and is never
/// written into or replaced; a project set is built only into a folder that is absent (and may be created there) or
/// that carries the marker.
/// </summary>
public static class DataDirCheck
{
    /// <param name="directory">The data folder (DATA_DIR).</param>
    /// <param name="dataset">The project set make would build there (DATASET).</param>
    /// <param name="purpose">Reading it (train, eval, serve) or writing the set (make data).</param>
    /// <param name="mayCreate">An absent folder may be built: make data, or the project's own data/&lt;set&gt; folder.</param>
    public static DataDirVerdict Inspect(string directory, string dataset, DataDirPurpose purpose, bool mayCreate)
    {
        string dir = Path.GetFullPath(directory);
        if (File.Exists(dir))
            return Refuse($"{directory} is a file, not a data set folder");
        if (!Directory.Exists(dir))
        {
            if (!mayCreate)
                return Refuse($"data set folder {directory} does not exist (make builds a project set only into data/<set>: DATASET={string.Join("|", ProjectDatasets.Names)})");
            return ProjectDatasets.IsKnown(dataset)
                ? new(DataDirAction.Build, $"{directory} does not exist: building {dataset}")
                : Refuse(UnknownSet(dataset, directory));
        }

        var marker = DatasetMarker.Read(dir);
        if (marker is null)
            return Foreign(directory, dir, dataset, purpose);

        // The project's own folder: rebuild it when it is not the requested, current, complete set.
        bool requested = marker.Dataset == dataset;
        if (purpose == DataDirPurpose.Build && !ProjectDatasets.IsKnown(dataset))
            return Refuse(UnknownSet(dataset, directory));
        string? problem = Incomplete(dir);
        if (requested && problem is null && ProjectDatasets.IsKnown(dataset) && ProjectDatasets.Marker(dataset) == marker)
            return new(DataDirAction.Use, $"{directory}: {dataset}, built by make data, complete");
        if (purpose == DataDirPurpose.Build || (requested && ProjectDatasets.IsKnown(dataset)))
        {
            string why = problem ?? (requested ? $"built with recipe {marker.Recipe}, current is {ProjectDatasets.Marker(dataset).Recipe}"
                : $"holds {marker.Dataset}");
            return new(DataDirAction.Build, $"{directory} ({why}): rebuilding {dataset}");
        }
        // Another of our sets than DATASET names: usable when complete (the user pointed DATA_DIR at it).
        return problem is null
            ? new(DataDirAction.Use, $"{directory}: {marker.Dataset}, built by make data, complete")
            : Refuse($"{directory} holds an incomplete {marker.Dataset} ({problem}): run make data DATASET={marker.Dataset} DATA_DIR={directory}");
    }

    private static DataDirVerdict Foreign(string directory, string dir, string dataset, DataDirPurpose purpose)
    {
        if (DatasetLoader.Detect(dir) is not { } format)
            return Refuse($"{directory} is neither a data set make data built (no {DatasetMarker.FileName}) nor an In-Shop, CUB or SOP " +
                          "data set (no list file found); it was left untouched");
        if (purpose == DataDirPurpose.Build)
            return Refuse($"{directory} holds a {format} data set that make data did not build; refusing to write {dataset} into it " +
                          "(make train/eval/serve use it as it is)");
        string? problem = Incomplete(dir);
        return problem is null
            ? new(DataDirAction.Use, $"{directory}: {format} data set (not built by make data), used as it is")
            : Refuse($"{directory}: {problem}");
    }

    /// <summary>Null when the folder reads as a data set with every listed image present, else what is wrong.</summary>
    private static string? Incomplete(string dir)
    {
        try
        {
            var missing = MissingImages.Find(DatasetLoader.Load(dir));
            return missing.None ? null : missing.ToString();
        }
        catch (Exception e) when (e is DatasetFormatException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static string UnknownSet(string dataset, string directory) =>
        $"unknown data set '{dataset}' for {directory} (make data builds {string.Join(" | ", ProjectDatasets.Names)})";

    private static DataDirVerdict Refuse(string message) => new(DataDirAction.Refuse, message);
}
