using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

public sealed class ExactSearchTests
{
    [Fact]
    public void TopKEqualsAFullSortOfDoublePrecisionDistances()
    {
        var rng = new Random(5);
        const int dim = 13, nq = 40, nr = 150, k = 7;
        float[] q = Enumerable.Range(0, nq * dim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] r = Enumerable.Range(0, nr * dim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();

        var found = ExactSearch.TopK(q, r, dim, k, VectorMetric.SquaredL2);

        for (int i = 0; i < nq; i++)
        {
            var expected = Enumerable.Range(0, nr)
                .Select(j => (j, d: Enumerable.Range(0, dim).Sum(x => Math.Pow((double)q[i * dim + x] - r[j * dim + x], 2))))
                .OrderBy(t => t.d).Take(k).ToArray();
            Assert.Equal(expected.Select(t => (long)t.j), found[i].Select(n => n.Id));
            for (int t = 0; t < k; t++) Assert.Equal(expected[t].d, found[i][t].Distance, 4);
        }
    }

    [Fact]
    public void TiesAreOrderedByIndexAndSelfIsExcluded()
    {
        // Rows 0..3 are the same vector: for query 2 every other row ties at distance 0, in index order.
        float[] v = [1, 0, 1, 0, 1, 0, 1, 0, 0, 1];
        var found = ExactSearch.TopK(v, v, 2, 3, VectorMetric.Cosine, excludeSelf: true);
        Assert.Equal([0L, 1, 3], found[2].Select(n => n.Id));
        Assert.All(found[2], n => Assert.Equal(0f, n.Distance));
        Assert.Equal([0L, 1, 2], found[4].Select(n => n.Id));
        Assert.Equal(1f, found[4][0].Distance);
    }

    [Fact]
    public void KLargerThanTheReferenceSetReturnsEveryReference()
    {
        var found = ExactSearch.TopK([1, 0], [0, 1, 1, 0], 2, 10);
        Assert.Equal([1L, 0], found[0].Select(n => n.Id));
    }

    [Fact]
    public void BadShapesAreRejectedWithTheirNumbers()
    {
        var e = Assert.Throws<ArgumentException>(() => ExactSearch.TopK(new float[5], new float[4], 2, 1));
        Assert.Contains("5", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactSearch.TopK(new float[4], new float[4], 2, 0));
    }
}
