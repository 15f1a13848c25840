using System.Text.Json;
using Grpc.Core;
using Retrieval.Core.Data;
using Retrieval.Core.Imaging;

namespace Retrieval.CommandLine;

/// <summary>
/// Which exceptions are the user's to fix and which are bugs, and how each is reported: one line
/// "<c>&lt;command&gt;: error: &lt;message&gt;</c>" on standard error for a user error, the stack trace for a bug.
/// </summary>
public static class ErrorPolicy
{
    /// <summary>
    /// True for an exception the user can act on: bad arguments (<see cref="ArgumentException"/>), missing, unreadable
    /// or corrupt input (<see cref="IOException"/> and its kinds, among them a model that cannot be loaded and a corrupt
    /// storage file; <see cref="UnauthorizedAccessException"/>, <see cref="InvalidDataException"/>,
    /// <see cref="JsonException"/>, <see cref="DatasetFormatException"/>, <see cref="ImageDecodeException"/>), an
    /// unreachable server or a gRPC status from one (<see cref="RpcException"/>), a failed check
    /// (<see cref="CommandFailedException"/>). <see cref="InvalidOperationException"/>, <see cref="FormatException"/>
    /// and <see cref="TimeoutException"/> count when this project's code threw them (its messages are written for the
    /// user: "a run already exists", "no CUDA device"); from the runtime they mean a bug. An assembly that does not load
    /// (also an IOException) is a broken installation, not the user's input: a bug.
    /// </summary>
    public static bool IsUserError(Exception e) => e switch
    {
        FileLoadException => false,
        FileNotFoundException { FileName: { } name } when name.Contains(", Version=", StringComparison.Ordinal) => false,
        ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException or JsonException
            or DatasetFormatException or ImageDecodeException or RpcException or CommandFailedException => true,
        InvalidOperationException or FormatException or TimeoutException => ThrownByThisProject(e),
        AggregateException { InnerExceptions.Count: 1 } a => IsUserError(a.InnerException!),
        _ => false,
    };

    /// <summary>The message for a user error, without the prefix: a gRPC status reads "Unavailable: detail".</summary>
    public static string Describe(Exception e) => e switch
    {
        RpcException rpc => string.IsNullOrEmpty(rpc.Status.Detail) ? $"{rpc.StatusCode}" : $"{rpc.StatusCode}: {rpc.Status.Detail}",
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerException!),
        _ => e.Message,
    };

    /// <summary>Writes the report of <paramref name="e"/> for <paramref name="command"/> (e.g. "retrieval eval") and returns the exit code.</summary>
    public static int Report(Exception e, string command, TextWriter error)
    {
        if (e is OperationCanceledException)
        {
            error.WriteLine($"{command}: interrupted");
            return ExitCodes.Interrupted;
        }
        if (IsUserError(e))
        {
            error.WriteLine($"{command}: error: {OneLine(Describe(e))}");
            return ExitCodes.Failed;
        }
        error.WriteLine($"{command}: internal error: {e}");
        error.WriteLine($"{command}: this is a bug in RetrievalSystem; please report it with the lines above.");
        return ExitCodes.Internal;
    }

    /// <summary>A multi-line message (a child process's log, say) stays readable but each line after the first is indented.</summary>
    private static string OneLine(string message) => message.Trim().ReplaceLineEndings("\n  ");

    private static bool ThrownByThisProject(Exception e) =>
        e.TargetSite?.DeclaringType?.Assembly.GetName().Name is { } name
        && (name.StartsWith("Retrieval.", StringComparison.Ordinal) || name.StartsWith("retrieval", StringComparison.Ordinal));
}
