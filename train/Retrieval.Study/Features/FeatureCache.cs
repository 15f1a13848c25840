using Retrieval.Core.Data;

namespace Retrieval.Study.Features;

/// <summary>
/// Frozen features of a whole data set, computed once and reused: the file is keyed by the data set's listing (every
/// item's split, path and class) and the extractor, so a changed data set or backbone recomputes instead of reusing.
/// </summary>
public static class FeatureCache
{
    /// <summary>The features of <paramref name="dataset"/> from <paramref name="cacheDirectory"/>, computed and saved when missing.</summary>
    public static FeatureSet Load(RetrievalDataset dataset, ExtractorSettings extractor, string cacheDirectory, Action<string> log)
    {
        var items = dataset.Items;
        var key = FeatureFile.KeyOf(new[] { "features v1", extractor.Describe() }.Concat(items.Select(i => $"{i.Split}\t{i.RelativePath}\t{i.Label}")));
        var path = Path.Combine(cacheDirectory, $"features-{Convert.ToHexString(key)[..16].ToLowerInvariant()}.bin");
        var cached = File.Exists(path) ? FeatureFile.Read(path, key) : null;
        float[] data;
        int dimension;
        if (cached is { } c && c.Rows == items.Count)
        {
            (data, dimension) = (c.Data, c.Columns);
            log($"features: reusing {path} ({c.Rows} x {c.Columns})");
        }
        else
        {
            log($"features: embedding {items.Count} images with {extractor.Describe()}");
            data = FeatureExtractor.Extract(extractor, items.Select(dataset.AbsolutePath).ToList(), log);
            dimension = data.Length / Math.Max(1, items.Count);
            Directory.CreateDirectory(cacheDirectory);
            FeatureFile.Write(path, key, data, items.Count, dimension);
            log($"features: wrote {path}");
        }
        var all = new LabeledFeatures(data, dimension, items.Select(i => i.Label).ToArray());
        LabeledFeatures Of(DatasetSplit split) => all.Select(items.Select((item, row) => (item, row)).Where(p => p.item.Split == split).Select(p => p.row).ToList());
        var gallery = Of(DatasetSplit.Gallery);
        return gallery.Count > 0
            ? new FeatureSet(dataset.Name, extractor.Describe(), Of(DatasetSplit.Train), Of(DatasetSplit.Query), gallery)
            : new FeatureSet(dataset.Name, extractor.Describe(), Of(DatasetSplit.Train), Of(DatasetSplit.Test), null);
    }
}
