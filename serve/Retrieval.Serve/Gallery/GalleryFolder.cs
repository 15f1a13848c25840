using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Retrieval.Core.Search;
using Retrieval.Core.Storage;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// The gallery's folder on disk (<c>--index</c>): core's <see cref="LocalCollectionStore"/> (manifest, snapshot of the
/// index and item metadata, write-ahead log) with the model that made the embeddings recorded in the manifest.
/// Opening, creating, choosing the model to serve, and refusing the old single-file format with how to migrate.
/// </summary>
public static class GalleryFolder
{
    /// <summary>Whether <paramref name="folder"/> holds a gallery.</summary>
    public static bool Exists(string folder) => LocalCollectionStore.Exists(folder);

    /// <summary>Throws when <paramref name="path"/> is a file (the old single-file gallery, or anything else) rather than a folder.</summary>
    public static void RefuseFile(string path, string modelPath)
    {
        if (!File.Exists(path)) return;
        if (LegacyGalleryFile.IsLegacy(path))
            throw new InvalidDataException(
                $"{path} is a gallery file of the old single-file format, which this server no longer reads or writes in place. " +
                $"Migrate it once into a gallery folder (the old file is only read): retrieval-server --model {modelPath} " +
                $"--index {Path.ChangeExtension(path, null)} --migrate-from {path}");
        throw new InvalidDataException($"{path} is a file; --index names the gallery folder (created when absent).");
    }

    /// <summary>
    /// The model file to serve with an existing gallery: the one recorded with it (what was served before the restart,
    /// including after a ReloadModel), or <paramref name="configuredModel"/> when that is the same model moved
    /// elsewhere. Throws naming both when neither matches the recorded SHA-256.
    /// </summary>
    public static string ChooseModel(string folder, string configuredModel, ILogger logger)
    {
        var properties = CollectionManifest.Read(Path.GetFullPath(folder)).Properties;
        if (!properties.TryGetValue(GalleryStore.ModelPathKey, out var recorded) || !properties.TryGetValue(GalleryStore.ModelShaKey, out var sha))
            throw new InvalidDataException($"{folder}: the manifest records no model ({GalleryStore.ModelPathKey}, {GalleryStore.ModelShaKey}).");
        foreach (var candidate in new[] { recorded, configuredModel }.Where(p => !string.IsNullOrEmpty(p)).Distinct())
        {
            if (!File.Exists(candidate) || !string.Equals(Sha256(candidate), sha, StringComparison.OrdinalIgnoreCase)) continue;
            if (!string.IsNullOrEmpty(configuredModel) && Path.GetFullPath(candidate) != Path.GetFullPath(configuredModel))
                logger.LogWarning("Serving model {Recorded}, the one the gallery in {Folder} was built with (ReloadModel set it), not --model {Configured}; " +
                    "call ReloadModel to switch models (it re-embeds the gallery)", candidate, folder, configuredModel);
            return candidate;
        }
        throw new InvalidDataException(
            $"The gallery in {folder} was built with model {recorded} (sha256 {sha}), which is missing or changed, and --model {configuredModel} " +
            "is a different model. Restore that model file, or start with a new --index folder to build a gallery with this model " +
            "(the old folder is left untouched).");
    }

    /// <summary>Opens the gallery in <paramref name="folder"/>: loads the snapshot and replays the log.</summary>
    public static GalleryStore Open(string folder, IVectorIndexFactory factory, CompactionPolicy policy, ILogger logger)
    {
        var store = LocalCollectionStore.Open(folder, m => logger.LogWarning("{Message}", m));
        try
        {
            var collection = VectorCollection.Open(store, factory, policy, m => logger.LogInformation("{Message}", m));
            // The load leaves its read buffers and replayed records behind: one compacting collection hands that memory
            // back to the OS before serving, so the resident size is the gallery's, not the load's.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            logger.LogInformation("Loaded gallery {Folder}: {Count} items (snapshot at sequence {Snapshot}, {Replayed} changes replayed from the log; memory compacted in {Gc:F2} s)",
                folder, collection.Count, store.Manifest.Sequence, collection.PendingChanges, clock.Elapsed.TotalSeconds);
            return new GalleryStore(collection);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Creates a gallery folder whose first snapshot is <paramref name="items"/> embedded by the given model.</summary>
    public static GalleryStore Create(string folder, int dimension, string modelPath, string modelSha256, IReadOnlyList<VectorItem> items,
        IVectorIndexFactory factory, CompactionPolicy policy, ILogger logger)
    {
        var collection = InMemory(dimension, modelPath, modelSha256, factory, policy, logger);
        var gallery = new GalleryStore(collection);
        if (items.Count > 0) gallery.Upsert(items);
        collection.Attach(LocalCollectionStore.Create(folder, collection.Index, collection.Items, factory.Kind, collection.Properties,
            m => logger.LogWarning("{Message}", m)));
        logger.LogInformation("Created gallery {Folder}: {Count} items", folder, gallery.Count);
        return gallery;
    }

    /// <summary>An empty gallery in memory for embeddings of the given model, to fill and then make current (<see cref="Replace"/>).</summary>
    public static VectorCollection InMemory(int dimension, string modelPath, string modelSha256, IVectorIndexFactory factory, CompactionPolicy policy, ILogger logger) =>
        VectorCollection.CreateInMemory(factory.Create(dimension, VectorMetric.Cosine), GalleryStore.ModelProperties(modelPath, modelSha256), policy,
            m => logger.LogInformation("{Message}", m));

    /// <summary>Makes a gallery built off to the side the whole content of <paramref name="current"/>'s folder (one atomic manifest switch).</summary>
    public static GalleryStore Replace(GalleryStore current, VectorCollection next)
    {
        var store = current.Collection.Store ?? throw new InvalidOperationException("the current gallery has no folder.");
        store.CommitReplacement(next.Index, next.Items, next.Properties);
        next.Attach(store);
        return new GalleryStore(next);
    }

    /// <summary>SHA-256 of a file (a model's identity), lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
