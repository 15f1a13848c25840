using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// The classes present in a batch: their ids (ascending), the counts N_c,
/// and a padded member table [C_B, max N_c] (padding points one past the last sample) for segment reductions.
/// Built on the host from labels on the CPU, then uploaded to the device in one non-blocking copy.
/// </summary>
public sealed class BatchClasses
{
    internal BatchClasses(Tensor hostLabels, Device device)
    {
        var values = hostLabels.data<long>().ToArray();
        var ids = values.Distinct().Order().ToArray();
        var position = ids.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k);
        var members = ids.Select(_ => new List<long>()).ToArray();
        for (var i = 0; i < values.Length; i++) members[position[values[i]]].Add(i);
        var width = members.Max(m => m.Count);

        // One host buffer [ids | counts | members], one upload, then views.
        int b = values.Length, c = ids.Length;
        var host = new long[2 * c + c * width];
        ids.CopyTo(host, 0);
        for (var k = 0; k < c; k++)
        {
            host[c + k] = members[k].Count;
            for (var j = 0; j < width; j++) host[2 * c + k * width + j] = j < members[k].Count ? members[k][j] : b;
        }
        var all = DeviceUpload.To(tensor(host), device);

        Count = c;
        HostCounts = members.Select(m => (long)m.Count).ToArray();
        Classes = all.narrow(0, 0, c);
        Counts = all.narrow(0, c, c);
        Members = all.narrow(0, 2 * c, c * width).view(c, width);
    }

    /// <summary>C_B, the number of classes present.</summary>
    public int Count { get; }

    /// <summary>N_c of every present class, on the host (no device read needed).</summary>
    public IReadOnlyList<long> HostCounts { get; }

    /// <summary>Ascending class ids present in the batch, [C_B].</summary>
    public Tensor Classes { get; }

    /// <summary>Samples per present class N_c, [C_B] int64.</summary>
    public Tensor Counts { get; }

    /// <summary>Sample indices of each present class, padded with B, [C_B, max N_c].</summary>
    public Tensor Members { get; }

    /// <summary>Ordered pairs (i, j), i != j, of the same class: sum N_c (N_c - 1).</summary>
    public long PositivePairs => HostCounts.Sum(n => n * (n - 1));

    /// <summary>Ordered pairs of different classes: B^2 - sum N_c^2.</summary>
    public long NegativePairs => HostCounts.Sum() * HostCounts.Sum() - HostCounts.Sum(n => n * n);

    /// <summary>log N_c in the given floating type, [C_B].</summary>
    public Tensor LogCounts(ScalarType type) => Counts.to_type(type).log();
}
