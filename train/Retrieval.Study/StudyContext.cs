using Retrieval.Core.Data;
using Retrieval.Study.Features;
using Retrieval.Study.Folds;
using Retrieval.Study.Runs;
using TorchSharp;

namespace Retrieval.Study;

/// <summary>What the parts share: options, the log, the study folder, and (loaded on first use) the frozen features, their folds and the run store.</summary>
public sealed class StudyContext
{
    private readonly Lazy<RetrievalDataset> _dataset;
    private readonly Lazy<FeatureSet> _features;
    private readonly Lazy<IReadOnlyList<FoldData>> _folds;

    public StudyContext(StudyOptions options, Action<string> log)
    {
        Options = options;
        Log = log;
        _dataset = new(() =>
        {
            var dataset = DatasetLoader.Load(options.DataRoot);
            MissingImages.Find(dataset).ThrowIfAny();
            return dataset;
        });
        Files = new StudyFiles(options.CacheDirectory ?? Path.Combine("runs", "study", Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataRoot)))));
        _features = new(() =>
        {
            // Embedding the images is one big job: give it every worker's thread, then back to one per head training.
            torch.set_num_threads(options.Workers);
            try
            {
                return FeatureCache.Load(Dataset, Extractor, Files.Root, log);
            }
            finally
            {
                torch.set_num_threads(1);
            }
        });
        _folds = new(() => FoldData.Split(Features.Train, options.Folds));
    }

    public StudyOptions Options { get; }
    public Action<string> Log { get; }
    public StudyFiles Files { get; }
    public RetrievalDataset Dataset => _dataset.Value;
    public ExtractorSettings Extractor => new(Options.Backbone, Options.Pretrained, Options.ImageSize, Options.Seed);
    public FeatureSet Features => _features.Value;

    /// <summary>Whether the features are loaded or on disk for the current extractor (the report uses them only then).</summary>
    public bool HasCachedFeatures => _features.IsValueCreated || Directory.Exists(Files.Root) && Directory.EnumerateFiles(Files.Root, "features-*.bin").Any();
    public IReadOnlyList<FoldData> Folds => _folds.Value;

    /// <summary>A runner over the folds whose store is keyed by these features.</summary>
    public HeadRunner Runner() => new(new RunStore(Files.Heads, Features.DatasetName + "\n" + Features.Extractor + $"\nfolds {Options.Folds}"), Folds, Options.Workers, Log);
}
