using Microsoft.Extensions.Logging;

namespace Retrieval.Serve.Engine;

/// <summary>
/// ReloadModel's rules: a client names a model file inside the configured models folder, never an arbitrary path, and a
/// failed load answers with a status and a fixed message — the exception text (which could tell what exists where) goes
/// to the server log only.
/// </summary>
public static class ModelFiles
{
    /// <summary>The full path <paramref name="requested"/> names inside <paramref name="root"/> (relative to it, or absolute inside it); INVALID_ARGUMENT otherwise.</summary>
    public static string Resolve(string root, string requested)
    {
        if (requested.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
            throw new RequestException(RequestError.InvalidArgument, "model_path holds a control character.");
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(fullRoot, requested));
        if (!full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new RequestException(RequestError.InvalidArgument,
                $"model_path '{requested}' is outside the models folder: name a file inside it (the server's --models-dir).");
        return full;
    }

    /// <summary>Runs a reload step; load failures become NOT_FOUND or FAILED_PRECONDITION naming only what the client sent.</summary>
    public static async Task<T> MapLoadErrors<T>(string requested, ILogger logger, Func<Task<T>> load)
    {
        try
        {
            return await load().ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            throw new RequestException(RequestError.NotFound, $"model_path '{requested}': no such model file in the models folder.");
        }
        catch (Exception e) when (e is not (OperationCanceledException or RequestException))
        {
            logger.LogWarning(e, "ReloadModel '{Requested}' failed", requested);
            throw new RequestException(RequestError.FailedPrecondition,
                $"model_path '{requested}': could not be loaded and served (not a servable RetrievalSystem model, or over the size limit); the server log has the details.");
        }
    }
}
