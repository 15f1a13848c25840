using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Tests.Engine;

public sealed class QualityAccumulatorTests
{
    [Fact]
    public void MatchesHandComputedValues()
    {
        var quality = new QualityAccumulator([1, 2, 4]);
        // Query 1, label a, R = 3: ranks a b a b → hits at 1 and 3 within R=3.
        // P@1 = 1; R-Precision = 2/3; MAP@R = (1/1 + 2/3) / 3 = 5/9; R@1 = R@2 = R@4 = 1.
        quality.Add(["a", "b", "a", "b"], "a", 3);
        // Query 2, label c, R = 2: ranks b c a a → hit at 2.
        // P@1 = 0; R-Precision = 1/2; MAP@R = (1/2) / 2 = 1/4; R@1 = 0, R@2 = R@4 = 1.
        quality.Add(["b", "c", "a", "a"], "c", 2);
        // Query 3: label with no gallery item → excluded.
        quality.Add([], "z", 0);

        var report = quality.Report();

        Assert.Equal(2, report.Queries);
        Assert.Equal(1, report.Excluded);
        Assert.Equal(0.5, report.PrecisionAt1, 12);
        Assert.Equal((2.0 / 3 + 0.5) / 2, report.RPrecision, 12);
        Assert.Equal((5.0 / 9 + 0.25) / 2, report.MapAtR, 12);
        Assert.Equal(0.5, report.RecallAtK[1], 12);
        Assert.Equal(1.0, report.RecallAtK[2], 12);
        Assert.Equal(1.0, report.RecallAtK[4], 12);
    }

    [Fact]
    public void RanksNeededCoversRAndLargestK()
    {
        var quality = new QualityAccumulator([1, 10, 50]);
        Assert.Equal(50, quality.RanksNeeded(3));
        Assert.Equal(70, quality.RanksNeeded(70));
    }
}
