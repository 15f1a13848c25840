namespace Retrieval.Serve.Engine;

/// <summary>A request the engine refuses, with the reason and a message naming the offending field.</summary>
public sealed class RequestException(RequestError error, string message) : Exception(message)
{
    /// <summary>The kind of refusal.</summary>
    public RequestError Error { get; } = error;
}
