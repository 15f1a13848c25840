using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>
/// Loads backbone weights from a safetensors file with torchvision parameter names ("conv1.weight",
/// "layer1.0.bn1.running_mean", ...). torchvision's classifier ("fc.weight", "fc.bias") is ignored; the head
/// (embedding.*) and the input mean/std are never read from the file. Every other backbone parameter and
/// BatchNorm buffer must be present with the right shape ("num_batches_tracked" may be absent: it has no effect
/// on the forward pass); names the backbone does not have are an error.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>torchvision names in the file that are skipped on purpose (the ImageNet classifier).</summary>
    public static readonly IReadOnlyList<string> IgnoredNames = ["fc.weight", "fc.bias"];

    /// <summary>Copies the backbone weights in <paramref name="path"/> into <paramref name="network"/>; throws <see cref="InvalidDataException"/> listing every unknown, missing or mis-shaped name.</summary>
    public static void LoadBackbone(EmbeddingNetwork network, string path)
    {
        using var scope = NewDisposeScope();
        LoadBackbone(network, SafeTensorsReader.Read(path), path);
    }

    /// <summary>
    /// Copies torchvision-named <paramref name="weights"/> (read from <paramref name="source"/>) into the backbone of
    /// <paramref name="network"/>, after checking that every name and shape matches.
    /// </summary>
    public static void LoadBackbone(EmbeddingNetwork network, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        var target = network.Backbone.state_dict();
        var unknown = weights.Keys.Where(k => !target.ContainsKey(k) && !IgnoredNames.Contains(k)).Order().ToList();
        var missing = target.Keys.Where(k => !weights.ContainsKey(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order().ToList();
        var misShaped = target.Keys.Where(k => weights.TryGetValue(k, out var t) && !t.shape.SequenceEqual(target[k].shape))
            .Select(k => $"{k} (file [{string.Join(",", weights[k].shape)}], {network.Config.Backbone} [{string.Join(",", target[k].shape)}])")
            .Order().ToList();
        var problems = new List<string>();
        if (unknown.Count > 0) problems.Add($"unknown names: {string.Join(", ", unknown)}");
        if (missing.Count > 0) problems.Add($"missing names: {string.Join(", ", missing)}");
        if (misShaped.Count > 0) problems.Add($"wrong shapes: {string.Join(", ", misShaped)}");
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: does not match the {network.Config.Backbone} backbone (torchvision names expected): {string.Join("; ", problems)}.");
        using var noGrad = no_grad();
        foreach (var (name, destination) in target)
            if (weights.TryGetValue(name, out var value)) destination.copy_(value.to_type(destination.dtype));
    }
}
