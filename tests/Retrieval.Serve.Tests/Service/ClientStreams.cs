using Grpc.Core;

namespace Retrieval.Serve.Tests.Service;

/// <summary>Client-streaming calls as a careful client makes them when the server may refuse the call early.</summary>
internal static class ClientStreams
{
    /// <summary>
    /// Writes the messages and completes the request stream. A server that refuses the call (a missing key, a cap)
    /// ends it while the client may still be writing; such a write then fails with whatever the transport saw (often
    /// CANCELLED). The call's own status is the one to check, and the caller reads it from the response.
    /// </summary>
    public static async Task WriteAllAsync<T>(IClientStreamWriter<T> stream, params T[] messages)
    {
        try
        {
            foreach (var message in messages) await stream.WriteAsync(message);
            await stream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server ended the call: its status comes with the response.
        }
        catch (InvalidOperationException)
        {
            // Writing after the call completed: likewise.
        }
    }
}
