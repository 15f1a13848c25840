using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// ArcFace (PML semantics): the target logit becomes cos(theta + m) where theta = acos(cos_{i,y_i}) &lt;= pi - m, else
/// cos(theta) - m sin(m); L = mean_i CE(s * logits_i, y_i). Defaults m = 28.6 degrees, s = 64. The cosine is clamped
/// to [-1 + 1e-7, 1 - 1e-7] before acos so the gradient stays finite.
/// </summary>
public sealed class ArcFaceLoss(int numClasses, int embeddingSize, ArcFaceSettings? settings = null)
    : ClassWeightSoftmaxLoss<ArcFaceSettings>("ArcFaceLoss", numClasses, embeddingSize, settings)
{
    private const double Clamp = 1e-7;


    protected override Tensor Logits(Tensor cosine, Tensor labels)
    {
        var m = Settings.MarginDegrees * Math.PI / 180;
        var target = cosine.gather(1, labels.unsqueeze(1));
        var angle = target.clamp(-1 + Clamp, 1 - Clamp).acos();
        var modified = where(angle.le(Math.PI - m), (angle + m).cos(), angle.cos() - m * Math.Sin(m));
        var isTarget = nn.functional.one_hot(labels, NumClasses).to_type(cosine.dtype);
        return Settings.Scale * (cosine + isTarget * (modified - target));
    }
}
