using Retrieval.Train.Data;

namespace Retrieval.Train.Tests.Data;

public sealed class ClassBalancedSamplerTests
{
    // 6 classes: class c has c+1 images (class 0 has a single image, class 5 has six).
    private static readonly int[] Labels = Enumerable.Range(0, 6).SelectMany(c => Enumerable.Repeat(c, c + 1)).ToArray();

    [Fact]
    public void EveryBatchHoldsDistinctClassesWithExactlyMImagesEach()
    {
        var sampler = new ClassBalancedSampler(Labels, classesPerBatch: 3, imagesPerClass: 2, seed: 7);
        Assert.Equal(Labels.Length / 6, sampler.BatchesPerEpoch);
        for (var epoch = 0; epoch < 5; epoch++)
            foreach (var batch in sampler.PlanEpoch(epoch))
            {
                Assert.Equal(6, batch.Length);
                var byClass = batch.GroupBy(i => Labels[i]).ToList();
                Assert.Equal(3, byClass.Count);
                foreach (var g in byClass)
                {
                    Assert.Equal(2, g.Count());
                    // Classes with >= m images give distinct images; the single-image class repeats its image.
                    Assert.Equal(Math.Min(2, g.Key + 1), g.Distinct().Count());
                }
            }
    }

    [Fact]
    public void SameSeedAndEpochGiveTheSamePlanOthersDiffer()
    {
        var a = new ClassBalancedSampler(Labels, 3, 2, seed: 7);
        var b = new ClassBalancedSampler(Labels, 3, 2, seed: 7);
        var c = new ClassBalancedSampler(Labels, 3, 2, seed: 8);
        Assert.Equal(a.PlanEpoch(4), b.PlanEpoch(4));
        Assert.NotEqual(a.PlanEpoch(4), a.PlanEpoch(5));
        Assert.NotEqual(a.PlanEpoch(4), c.PlanEpoch(4));
    }

    [Fact]
    public void ClassesAreVisitedEvenlyOverManyEpochs()
    {
        var sampler = new ClassBalancedSampler(Labels, 3, 2, seed: 1);
        var visits = new int[6];
        for (var epoch = 0; epoch < 200; epoch++)
            foreach (var batch in sampler.PlanEpoch(epoch))
                foreach (var cls in batch.Select(i => Labels[i]).Distinct()) visits[cls]++;
        // 200 epochs x 3 batches x 3 classes = 1800 visits, 300 per class if uniform.
        Assert.All(visits, v => Assert.InRange(v, 250, 350));
    }

    [Fact]
    public void TooManyClassesPerBatchIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassBalancedSampler(Labels, 7, 2, 1));
        Assert.Contains("exceeds the number of training classes (6)", e.Message);
    }
}
