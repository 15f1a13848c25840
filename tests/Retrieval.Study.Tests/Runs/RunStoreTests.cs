using Retrieval.Study.Folds;
using Retrieval.Study.Heads;
using Retrieval.Study.Runs;
using Retrieval.Study.Tests.Heads;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Tests.Runs;

[Collection("TorchSharp")]
public class RunStoreTests
{
    private static readonly HeadJob Job = new(LossFactory.Defaults(LossNames.MeanFieldContrastive), 8, 1e-3, 100, 0, 4, 5,
        new HeadSchedule { MaxEpochs = 2, ClassesPerBatch = 4, ImagesPerClass = 2 });

    private static readonly HeadOutcome Marked = new(3, 7, 0.1, 0.2, 0.123456, [0.1, 0.123456], [1.0, 0.9], null);
    private static readonly HeadWeights Weights = new(24, 8, Enumerable.Range(0, 24 * 8).Select(i => (float)i).ToArray(), new float[8]);

    [Fact]
    public void A_finished_run_is_read_back_instead_of_trained_again()
    {
        using var folder = new TempFolder();
        var store = new RunStore(folder.Path, "features-a");
        store.Put(Job, Marked, Weights);
        var logged = new List<string>();
        var runner = new HeadRunner(store, FoldData.Split(HeadTrainerTests.Clusters(), 4), 1, logged.Add);
        var result = runner.Run([Job], keepWeights: true, "test");
        Assert.Equal(Marked.ValidationMapAtR, result[0].Outcome.ValidationMapAtR); // a real training would not give the marked numbers
        Assert.Equal(Weights.Weight, result[0].Weights!.Weight);
        Assert.Empty(logged);
    }

    [Fact]
    public void A_run_without_its_record_counts_as_not_run_and_other_features_do_not_match()
    {
        using var folder = new TempFolder();
        var store = new RunStore(folder.Path, "features-a");
        Assert.Null(store.TryGet(Job, false));
        store.Put(Job, Marked, null);
        Assert.NotNull(store.TryGet(Job, false));
        Assert.Null(store.TryGet(Job, true)); // weights were not kept: a test repetition must run again
        Assert.Null(new RunStore(folder.Path, "features-b").TryGet(Job, false));
        Assert.Null(store.TryGet(Job with { Seed = 6 }, false));
    }

    [Fact]
    public void Missing_runs_are_trained_and_stored()
    {
        using var folder = new TempFolder();
        var store = new RunStore(folder.Path, "features-a");
        var logged = new List<string>();
        var runner = new HeadRunner(store, FoldData.Split(HeadTrainerTests.Clusters(), 4), 2, logged.Add);
        var result = runner.Run([Job, Job with { Fold = 1 }], keepWeights: true, "test");
        Assert.Equal(2, logged.Count(l => l.StartsWith("test ", StringComparison.Ordinal)));
        Assert.Equal(result[1].Outcome.ValidationMapAtR, store.TryGet(Job with { Fold = 1 }, true)!.Value.Outcome.ValidationMapAtR);
    }

    [Fact]
    public void A_corrupt_weights_file_is_an_error_naming_it()
    {
        using var folder = new TempFolder();
        var store = new RunStore(folder.Path, "features-a");
        store.Put(Job, Marked, Weights);
        var file = Directory.GetFiles(folder.Path, "*.head").Single();
        var bytes = File.ReadAllBytes(file);
        bytes[40] ^= 1;
        File.WriteAllBytes(file, bytes);
        var error = Assert.Throws<InvalidDataException>(() => store.TryGet(Job, true));
        Assert.Contains(file, error.Message);
    }
}
