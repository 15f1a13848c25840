namespace Retrieval.Serve.Tests.Web;

/// <summary>
/// Debian's chromium for the browser tests (Playwright's own browser download is unreachable here). `make deps`
/// installs it with the tests' other Debian packages; a test never runs apt-get.
/// </summary>
public static class Chromium
{
    /// <summary>Where Debian puts the browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    /// <summary>The browser's path; a clear error naming `make deps` when it is not installed.</summary>
    public static string Require() =>
        File.Exists(Executable) ? Executable
            : throw new InvalidOperationException($"{Executable} not found: run 'make deps' (installs Debian's chromium with the tests' other packages)");
}
