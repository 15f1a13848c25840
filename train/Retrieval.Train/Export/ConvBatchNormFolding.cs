using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Export;

/// <summary>Folds an eval-mode BatchNorm into the preceding convolution: W' = W·γ/√(σ²+ε), b' = (b−μ)·γ/√(σ²+ε) + β, computed in float64.</summary>
public static class ConvBatchNormFolding
{
    /// <summary>The folded weight [out,in/groups,kh,kw] and bias [out] as flat float arrays; <paramref name="norm"/> null gives the conv's own.</summary>
    public static (float[] Weight, float[] Bias) Fold(Conv2d conv, BatchNorm2d? norm)
    {
        using var scope = NewDisposeScope();
        var outChannels = (int)conv.out_channels;
        var weight = ToDoubles(conv.weight!);
        var bias = conv.bias is null ? new double[outChannels] : ToDoubles(conv.bias);
        if (norm is not null)
        {
            if (norm.running_mean is null || norm.running_var is null)
                throw new NotSupportedException("ONNX export needs BatchNorm running statistics (track_running_stats).");
            var mean = ToDoubles(norm.running_mean);
            var variance = ToDoubles(norm.running_var);
            var gamma = norm.weight is null ? Enumerable.Repeat(1.0, outChannels).ToArray() : ToDoubles(norm.weight);
            var beta = norm.bias is null ? new double[outChannels] : ToDoubles(norm.bias);
            var perChannel = weight.Length / outChannels;
            for (var o = 0; o < outChannels; o++)
            {
                var scale = gamma[o] / Math.Sqrt(variance[o] + norm.eps);
                for (var k = 0; k < perChannel; k++) weight[o * perChannel + k] *= scale;
                bias[o] = (bias[o] - mean[o]) * scale + beta[o];
            }
        }
        return (weight.Select(v => (float)v).ToArray(), bias.Select(v => (float)v).ToArray());
    }

    private static double[] ToDoubles(Tensor t) => t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
