using Retrieval.V1;

namespace Retrieval.Bench.Gallery;

/// <summary>One client write of the crash run: an upsert of the ids at a version (label "v{version}") or, without a version, a delete.</summary>
internal sealed record Write(long[] Ids, int? Version, int Dimension)
{
    public async Task SendAsync(V1.Retrieval.RetrievalClient client)
    {
        if (Version is { } v)
        {
            var request = new UpsertVectorsRequest();
            foreach (long id in Ids)
            {
                var item = new V1.VectorItem { ItemId = id, Label = $"v{v}" };
                item.Embedding.AddRange(GalleryModel.Vector(id, v, Dimension));
                request.Items.Add(item);
            }
            await client.UpsertVectorsAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
        }
        else
        {
            await client.DeleteItemsAsync(new DeleteItemsRequest { ItemIds = { Ids } }, deadline: DateTime.UtcNow.AddSeconds(30));
        }
    }

    public override string ToString() => Version is { } v ? $"upsert of {Ids.Length} ids at v{v}" : $"delete of {Ids.Length} ids";
}
