using Retrieval.Study.Heads;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Tests.Heads;

public class HeadJobTests
{
    [Fact]
    public void The_key_of_a_job_is_fixed_text_so_cached_trainings_survive_changes_of_the_file_conventions()
    {
        // The run store names a cached training by this text; it is what study caches hold (written before the
        // project's JSON files moved to snake_case) and must not change with them.
        var job = new HeadJob(LossFactory.Defaults(LossNames.MeanFieldContrastive), 128, 0.001, 100, 0, 4, 101,
            new HeadSchedule { MaxEpochs = 8, Patience = 3, MinEpochs = 5 });
        Assert.Equal(
            "features\n{\"loss\":{\"name\":\"mfcont\",\"meanFieldWeight\":0,\"positiveMarginDistance\":0.02,\"negativeMarginDistance\":0.3}," +
            "\"embeddingSize\":128,\"learningRate\":0.001,\"lossLearningRateRatio\":100,\"fold\":0,\"folds\":4,\"seed\":101," +
            "\"schedule\":{\"maxEpochs\":8,\"patience\":3,\"minEpochs\":5,\"classesPerBatch\":32,\"imagesPerClass\":4,\"weightDecay\":0.0001," +
            "\"warmupEpochs\":1,\"lrStep\":10,\"lrGamma\":0.5,\"gradientClipNorm\":10}}",
            job.Key("features"));
    }
}
