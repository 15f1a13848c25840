using Grpc.Core;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Cli.Client;

/// <summary>A Retrieval service whose Search fails with a scripted status for its first calls, then answers.</summary>
public sealed class ScriptedRetrievalService(StatusCode failWith, int failures) : V1.Retrieval.RetrievalBase
{
    private int _calls;

    /// <summary>Search calls that reached the service (every attempt counts).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public override Task<SearchResponse> Search(SearchRequest request, ServerCallContext context)
    {
        var call = Interlocked.Increment(ref _calls);
        if (call <= failures) throw new RpcException(new Status(failWith, $"scripted failure {call}"));
        var response = new SearchResponse();
        response.Neighbors.Add(new Neighbor { ItemId = request.Image.Length, Label = "answer", Score = 1f });
        return Task.FromResult(response);
    }
}
