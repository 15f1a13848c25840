using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>Frozen BatchNorm: running statistics stay fixed (eval mode) and the affine parameters are not trained.</summary>
public static class BatchNormFreezer
{
    /// <summary>Switches every BatchNorm layer of <paramref name="model"/> to eval mode; call after model.train().</summary>
    public static void SetBatchNormEval(nn.Module model)
    {
        foreach (var (_, module) in model.named_modules())
            if (module is BatchNorm1d or BatchNorm2d) module.eval();
    }

    /// <summary>The model's parameters that remain trainable when BatchNorm is frozen (all others keep requires_grad false).</summary>
    public static IReadOnlyList<Parameter> TrainableParameters(nn.Module model, bool freezeBatchNorm)
    {
        if (freezeBatchNorm)
            foreach (var (_, module) in model.named_modules())
                if (module is BatchNorm1d or BatchNorm2d)
                    foreach (var p in module.parameters()) p.requires_grad = false;
        return model.parameters().Where(p => p.requires_grad).ToList();
    }
}
