namespace Retrieval.CommandLine;

/// <summary>
/// A command ran and failed for the reason in the message (a check that did not pass, calls that went unanswered):
/// reported like a user error, one line on standard error and exit code <see cref="ExitCodes.Failed"/>.
/// </summary>
public sealed class CommandFailedException(string message) : Exception(message);
