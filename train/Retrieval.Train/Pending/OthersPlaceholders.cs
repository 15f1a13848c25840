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

