using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// The classes present in a batch: their ids (ascending), each sample's position among them, the counts N_c,
/// and a padded member table [C_B, max N_c] (padding points one past the last sample) for segment reductions.
/// </summary>
internal sealed class BatchClasses
{
    public BatchClasses(Tensor labels)
    {
        var values = labels.cpu().data<long>().ToArray();
        var ids = values.Distinct().Order().ToArray();
        var position = ids.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k);
        var members = ids.Select(_ => new List<long>()).ToArray();
        for (var i = 0; i < values.Length; i++) members[position[values[i]]].Add(i);
        var width = members.Max(m => m.Count);
        var padded = new long[ids.Length * width];
        for (var k = 0; k < ids.Length; k++)
            for (var j = 0; j < width; j++)
                padded[k * width + j] = j < members[k].Count ? members[k][j] : values.Length;

        var device = labels.device;
        Count = ids.Length;
        Classes = tensor(ids, device: device);
        Index = tensor(values.Select(v => (long)position[v]).ToArray(), device: device);
        Counts = tensor(members.Select(m => (long)m.Count).ToArray(), device: device);
        Members = tensor(padded, device: device).view(ids.Length, width);
    }

    /// <summary>C_B, the number of classes present.</summary>
    public int Count { get; }

    /// <summary>Ascending class ids present in the batch, [C_B].</summary>
    public Tensor Classes { get; }

    /// <summary>For each sample, the position of its class in <see cref="Classes"/>, [B].</summary>
    public Tensor Index { get; }

    /// <summary>Samples per present class N_c, [C_B] int64.</summary>
    public Tensor Counts { get; }

    /// <summary>Sample indices of each present class, padded with B, [C_B, max N_c].</summary>
    public Tensor Members { get; }

    /// <summary>log N_c in the given floating type, [C_B].</summary>
    public Tensor LogCounts(ScalarType type) => Counts.to_type(type).log();
}
