using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>
/// SHA-256 of a module's state (every parameter and buffer: name, dtype, shape and bytes, in state_dict order): two runs
/// ended with the same weights exactly when their digests match, which is how a reproducible run is checked.
/// </summary>
public static class WeightsDigest
{
    /// <summary>The lowercase hex SHA-256 of <paramref name="module"/>'s state.</summary>
    public static string Of(nn.Module module)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, value) in module.state_dict())
        {
            var t = value.detach().cpu().contiguous();
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}|{t.dtype}|{string.Join(",", t.shape)}|"));
            sha.AppendData(t.bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
