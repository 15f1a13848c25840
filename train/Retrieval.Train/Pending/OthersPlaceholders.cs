// TEMPORARY stand-ins for the data, models and losses branches; deleted when those are merged.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Pending;

public static class InShopPlaceholder
{
    public static (List<(string, string)> Train, List<(string, string)> Query, List<(string, string)> Gallery) Load(string root)
    {
        var rows = File.ReadAllLines(Path.Combine(root, "list_eval_partition.txt")).Skip(2)
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length == 3).ToList();
        List<(string, string)> Of(string s) => rows.Where(r => r[2] == s).Select(r => (Path.Combine(root, r[0]), r[1])).ToList();
        return (Of("train"), Of("query"), Of("gallery"));
    }
}

public sealed class MfcwmsP : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter fields; private readonly double a, b, lam;
    public MfcwmsP(int classes, int dim, double alpha = 0.01, double beta = 80, double lambda = 0.8) : base("mfcwms")
    { fields = nn.Parameter(randn(dim, classes)); a = alpha; b = beta; lam = lambda; RegisterComponents(); }
    public override Tensor forward(Tensor e, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var m = nn.functional.normalize(fields, dim: 0);
        var s = e.matmul(m);                                      // B x C
        var u = unique(labels, return_inverse: true); var present = u.output; var inverse = u.inverse_indices!;
        var cb = present.shape[0];
        var counts = bincount(inverse).to_type(ScalarType.Float32);
        var sOwn = s.gather(1, labels.unsqueeze(1)).squeeze(1);
        var pos = zeros(cb, device: e.device).index_add(0, inverse, exp((sOwn - lam) * (-a)), 1.0) / counts;
        var posTerm = log1p(pos).sum() / (a * cb);
        var aMat = zeros(cb, s.shape[1], device: e.device).index_add(0, inverse, exp((s - lam) * b), 1.0) / counts.unsqueeze(1);
        var inBatch = aMat.index_select(1, present);              // CB x CB
        var mask = ones(cb, cb, device: e.device).triu(1);
        var both = (log1p(inBatch + inBatch.t()) * mask).sum();
        var colMask = ones(s.shape[1], device: e.device).index_fill(0, present, 0);
        var outside = (log1p(aMat) * colMask.unsqueeze(0)).sum();
        return (posTerm + (both + outside) / (b * cb)).MoveToOuterDisposeScope();
    }
}
