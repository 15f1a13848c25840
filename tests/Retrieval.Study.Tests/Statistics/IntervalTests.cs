using Retrieval.Study.Statistics;

namespace Retrieval.Study.Tests.Statistics;

public class IntervalTests
{
    [Theory]
    [InlineData(1, 12.706204736)]
    [InlineData(2, 4.302652730)]
    [InlineData(4, 2.776445105)]
    [InlineData(9, 2.262157163)]
    [InlineData(30, 2.042272456)]
    public void T_quantile_matches_the_tables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(0.975, degreesOfFreedom), 6);

    [Fact]
    public void T_cdf_is_symmetric_and_one_half_at_zero()
    {
        Assert.Equal(0.5, StudentT.Cdf(0, 3), 12);
        Assert.Equal(1, StudentT.Cdf(1.7, 5) + StudentT.Cdf(-1.7, 5), 12);
        // t(1) is the Cauchy distribution: CDF(1) = 3/4.
        Assert.Equal(0.75, StudentT.Cdf(1, 1), 10);
    }

    [Fact]
    public void Interval_of_five_values_equals_the_hand_computation()
    {
        // mean 3, s = sqrt(2.5), half-width = t(0.975, 4) * s / sqrt(5) = 2.776445105 * 1.58113883 / 2.236067977 = 1.963243161
        var interval = Interval.Of([1, 2, 3, 4, 5]);
        Assert.Equal(3, interval.Mean, 12);
        Assert.Equal(Math.Sqrt(2.5), interval.StandardDeviation, 12);
        Assert.Equal(1.963243161, interval.HalfWidth, 6);
        Assert.Equal(5, interval.Count);
    }

    [Fact]
    public void Paired_differences_remove_the_shared_seed_effect()
    {
        // b = a - 0.01 exactly: unpaired intervals overlap, the paired one is 0.01 wide of zero.
        double[] a = [0.40, 0.45, 0.38, 0.50, 0.42];
        var b = a.Select(v => v - 0.01).ToArray();
        var d = Interval.OfDifferences(a, b);
        Assert.Equal(0.01, d.Mean, 12);
        Assert.True(d.AboveZero);
        Assert.False(Interval.Of(a).Low > Interval.Of(b).High);
    }

    [Fact]
    public void One_value_has_no_interval_and_never_counts_as_significant()
    {
        var interval = Interval.Of([0.3]);
        Assert.True(double.IsNaN(interval.HalfWidth));
        Assert.False(interval.AboveZero);
        Assert.False(interval.BelowZero);
        Assert.Throws<ArgumentException>(() => Interval.OfDifferences([1, 2], [1]));
    }
}
