namespace Retrieval.CommandLine;

/// <summary>
/// The exit codes of every RetrievalSystem executable (the table is in docs/development.md). Scripts may rely on them:
/// 1 means "the input, the environment or the server said no; the message says what to fix", 70 means a bug.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>
    /// A user error or a failed check: a bad option value, a missing, unreadable or corrupt input file, a data-set
    /// format error, a model that cannot be served, an unreachable server or one that answered with a gRPC error, a
    /// health check that is not SERVING, a load test or benchmark case that was not answered as expected.
    /// </summary>
    public const int Failed = 1;

    /// <summary>The command line does not parse: an unknown command or option, a missing required option, a value of the wrong type.</summary>
    public const int Usage = 2;

    /// <summary>`retrieval-data check` only: the folder is to be built (a signal to make, not an error).</summary>
    public const int DataCheckBuild = 3;

    /// <summary>A bug: an exception the program did not expect (sysexits EX_SOFTWARE). The stack trace is printed.</summary>
    public const int Internal = 70;

    /// <summary>Interrupted (Ctrl+C, SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;
}
