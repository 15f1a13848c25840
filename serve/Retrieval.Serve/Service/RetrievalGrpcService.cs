using System.Runtime.CompilerServices;
using Grpc.Core;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Replication;
using Retrieval.Serve.Gallery;
using Retrieval.V1;

namespace Retrieval.Serve.Service;

/// <summary>The retrieval.v1 gRPC service: maps proto messages to engine calls and back; errors become status codes in <see cref="StatusInterceptor"/>.</summary>
public sealed class RetrievalGrpcService(RetrievalEngine engine) : V1.Retrieval.RetrievalBase
{
    /// <inheritdoc />
    public override async Task<SearchResponse> Search(SearchRequest request, ServerCallContext context) =>
        ToResponse(await engine.SearchAsync(request.Image.ToByteArray(), ToQuery(request.Options), context.CancellationToken));

    /// <summary>One response per request, in order; a request refused on its own answers with its error and the stream goes on.</summary>
    public override async Task SearchStream(IAsyncStreamReader<SearchRequest> requestStream, IServerStreamWriter<SearchResponse> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            SearchResponse response;
            try
            {
                response = await Search(request, context);
            }
            catch (RequestException e)
            {
                var status = StatusInterceptor.StatusOf(e);
                response = new SearchResponse { Error = new ItemError { Code = (int)status.StatusCode, Message = status.Detail } };
            }
            await responseStream.WriteAsync(response, context.CancellationToken);
        }
    }

    /// <inheritdoc />
    public override async Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context)
    {
        var response = new EmbedResponse();
        response.Embedding.AddRange(await engine.EmbedAsync(request.Image.ToByteArray(), context.CancellationToken));
        return response;
    }

    /// <inheritdoc />
    public override Task<SearchResponse> SearchByVector(SearchByVectorRequest request, ServerCallContext context) =>
        Task.FromResult(ToResponse(engine.SearchByVector(request.Embedding.ToArray(), ToQuery(request.Options))));

    /// <inheritdoc />
    public override async Task<UpsertItemsResponse> UpsertItems(IAsyncStreamReader<UpsertItemRequest> requestStream, ServerCallContext context)
    {
        var inputs = Read(requestStream, r => new UpsertInput(r.ItemId, r.Label, r.Image.ToByteArray(), r.ImagePath, r.Attributes), context.CancellationToken);
        var (upserted, size) = await engine.UpsertAsync(inputs, context.CancellationToken);
        return new UpsertItemsResponse { Upserted = upserted, IndexSize = size };
    }

    /// <inheritdoc />
    public override async Task<UpsertItemsResponse> UpsertVectors(UpsertVectorsRequest request, ServerCallContext context)
    {
        var items = request.Items.Select(i => new Core.Storage.VectorItem(i.ItemId,
            new Core.Storage.ItemMetadata(i.Label, i.ImagePath, i.Attributes.Count == 0 ? Core.Storage.ItemMetadata.NoAttributes : i.Attributes), i.Embedding.ToArray())).ToArray();
        var (upserted, size) = await engine.UpsertVectorsAsync(items, context.CancellationToken);
        return new UpsertItemsResponse { Upserted = upserted, IndexSize = size };
    }

    /// <inheritdoc />
    public override async Task<DeleteItemsResponse> DeleteItems(DeleteItemsRequest request, ServerCallContext context)
    {
        var (deleted, notFound, size) = await engine.DeleteAsync(request.ItemIds.ToArray(), context.CancellationToken);
        return new DeleteItemsResponse { Deleted = deleted, NotFound = notFound, IndexSize = size };
    }

    /// <inheritdoc />
    public override Task<GetInfoResponse> GetInfo(GetInfoRequest request, ServerCallContext context)
    {
        var state = engine.State;
        var info = state.Model.Info;
        var hnsw = engine.IndexOptions;
        var response = new GetInfoResponse
        {
            EmbeddingSize = info.EmbeddingSize, ImageSize = info.ImageSize, IndexSize = state.Gallery.Count,
            HnswM = hnsw?.M ?? 0, HnswEfConstruction = hnsw?.EfConstruction ?? 0, HnswEfSearch = engine.DefaultEf,
            Metric = "cosine", ModelSha256 = info.Sha256,
        };
        foreach (var (key, value) in info.Metadata) response.ModelMetadata[key] = value;
        if (state.Replica is { } replica) response.Replication = ReplicationInfoOf(replica);
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override async Task<EvaluateQueriesResponse> EvaluateQueries(IAsyncStreamReader<EvaluateQueryRequest> requestStream, ServerCallContext context)
    {
        var queries = Read(requestStream, r => new LabelledQuery(r.Image.ToByteArray(), r.Label), context.CancellationToken);
        var report = await engine.EvaluateAsync(queries, context.CancellationToken);
        var response = new EvaluateQueriesResponse
        {
            Queries = report.Queries, ExcludedQueries = report.ExcludedQueries, PrecisionAt1 = report.PrecisionAt1,
            RPrecision = report.RPrecision, MapAtR = report.MapAtR,
        };
        foreach (var (k, recall) in report.RecallAtK) response.RecallAtK[k] = recall;
        return response;
    }

    /// <inheritdoc />
    public override async Task<ReloadModelResponse> ReloadModel(ReloadModelRequest request, ServerCallContext context)
    {
        var result = await engine.ReloadAsync(request.ModelPath, context.CancellationToken);
        return new ReloadModelResponse { ModelSha256 = result.ModelSha256, IndexSize = result.IndexSize, DroppedItems = result.DroppedItems };
    }

    /// <summary>The client stream mapped message by message as it arrives (nothing is buffered here).</summary>
    private static async IAsyncEnumerable<T> Read<TMessage, T>(IAsyncStreamReader<TMessage> stream, Func<TMessage, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in stream.ReadAllAsync(cancellationToken)) yield return map(message);
    }

    private static SearchQuery ToQuery(SearchOptions? options) =>
        options is null
            ? new SearchQuery(0)
            : new SearchQuery(options.K, options.Ef, options.Exact, options.HasScoreThreshold ? options.ScoreThreshold : null, ToFilter(options.Filter));

    private static Core.Storage.ItemFilter? ToFilter(Filter? filter)
    {
        if (filter is null || (filter.Labels.Count == 0 && filter.Attributes.Count == 0)) return null;
        GalleryAttributes.ValidateLabels(filter.Labels, "options.filter.labels");
        GalleryAttributes.Validate(filter.Attributes, "options.filter");
        return new Core.Storage.ItemFilter(filter.Labels, filter.Attributes);
    }

    private static SearchResponse ToResponse(GalleryHit[] hits)
    {
        var response = new SearchResponse();
        foreach (var h in hits)
        {
            var neighbor = new Neighbor { ItemId = h.Id, Label = h.Label, Score = h.Score, ImagePath = h.ImagePath };
            foreach (var (key, value) in h.Attributes) neighbor.Attributes[key] = value;
            response.Neighbors.Add(neighbor);
        }
        return response;
    }

    private static ReplicationInfo ReplicationInfoOf(ReplicatedGallery replica)
    {
        var status = replica.Status;
        return new ReplicationInfo
        {
            Store = "postgres", Source = replica.Source, AppliedSequence = status.AppliedSequence, HeadSequence = status.HeadSequence,
            Lag = status.Lag, Connected = status.Connected, Problem = status.Problem ?? "",
            SecondsSinceContact = status.LastContact is { } t ? Math.Max(0, (DateTimeOffset.UtcNow - t).TotalSeconds) : -1,
        };
    }
}
