using Retrieval.Core.Metrics;
using Retrieval.Core.Pictures;
using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Pictures;

public sealed class RetrievalGridRowsTests
{
    [Fact]
    public void SampleIsSeededDistinctSortedAndCapped()
    {
        var a = RetrievalGridRows.SampleQueries(1000, 8, seed: 7);
        Assert.Equal(a, RetrievalGridRows.SampleQueries(1000, 8, seed: 7));
        Assert.NotEqual(a, RetrievalGridRows.SampleQueries(1000, 8, seed: 8));
        Assert.Equal(8, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.All(a, i => Assert.InRange(i, 0, 999));
        Assert.Equal([0, 1, 2], RetrievalGridRows.SampleQueries(3, 8, seed: 7));
        Assert.Empty(RetrievalGridRows.SampleQueries(0, 8, seed: 7));
    }

    [Fact]
    public void SampleSpreadsOverTheWholeSet()
    {
        var hits = new int[10];
        for (int seed = 0; seed < 2000; seed++)
            foreach (var i in RetrievalGridRows.SampleQueries(10, 3, seed)) hits[i]++;
        Assert.All(hits, h => Assert.InRange(h, 500, 700));   // 600 expected each: uniform without replacement
    }

    [Theory]
    [InlineData(EvaluationMode.QueryVsGallery)]
    [InlineData(EvaluationMode.QueryIsReference)]
    public void EmbeddingRowsAreTheBruteForceTopKWithClassFlags(EvaluationMode mode)
    {
        const int dim = 5, k = 4;
        var rng = new Random(3);
        var (queries, queryVectors) = Set(rng, 30, dim);
        var (references, referenceVectors) = mode == EvaluationMode.QueryIsReference ? (queries, queryVectors) : Set(rng, 40, dim);
        var settings = new RetrievalGridSettings(Queries: 6, K: k, Seed: 1);

        var rows = RetrievalGridRows.FromEmbeddings(queryVectors, queries, referenceVectors, references, dim, mode, settings);

        var picked = RetrievalGridRows.SampleQueries(queries.Count, 6, 1);
        Assert.Equal(picked.Select(q => queries[q]), rows.Select(r => r.Query));
        for (int i = 0; i < rows.Count; i++)
        {
            int q = picked[i];
            var expected = Enumerable.Range(0, references.Count)
                .Where(r => mode == EvaluationMode.QueryVsGallery || r != q)
                .Select(r => (Row: r, Score: Cosine(queryVectors, q, referenceVectors, r, dim)))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Row).Take(k).ToList();
            Assert.Equal(expected.Select(e => references[e.Row]), rows[i].Neighbors.Select(n => n.Image));
            for (int j = 0; j < k; j++)
            {
                Assert.Equal(expected[j].Score, rows[i].Neighbors[j].Score, 4);
                Assert.Equal(references[expected[j].Row].Label == queries[q].Label, rows[i].Neighbors[j].Correct);
            }
        }
        Assert.Contains(rows.SelectMany(r => r.Neighbors), n => n.Correct);
        Assert.Contains(rows.SelectMany(r => r.Neighbors), n => !n.Correct);
    }

    [Fact]
    public void RankingRowsTakeTheFirstKOfTheSampledQueries()
    {
        var queries = Enumerable.Range(0, 5).Select(i => new GridImage($"q{i}.png", $"c{i % 2}")).ToList();
        var references = Enumerable.Range(0, 4).Select(i => new GridImage($"g{i}.png", $"c{i % 2}")).ToList();
        var rankings = queries.Select((_, q) => new[] { new Neighbor((q + 1) % 4, 0.25f), new Neighbor(q % 4, 0.5f), new Neighbor(3, 0.75f) }).ToArray();

        var rows = RetrievalGridRows.FromRankings(rankings, queries, references, new RetrievalGridSettings(Queries: 2, K: 2, Seed: 4));

        var picked = RetrievalGridRows.SampleQueries(5, 2, 4);
        Assert.Equal(2, rows.Count);
        for (int i = 0; i < 2; i++)
        {
            int q = picked[i];
            Assert.Equal(queries[q], rows[i].Query);
            Assert.Equal([references[(q + 1) % 4], references[q % 4]], rows[i].Neighbors.Select(n => n.Image));
            Assert.Equal([0.75f, 0.5f], rows[i].Neighbors.Select(n => n.Score));
            Assert.Equal([false, true], rows[i].Neighbors.Select(n => n.Correct));
        }
    }

    private static (List<GridImage> Images, float[] Vectors) Set(Random rng, int n, int dim)
    {
        var vectors = new float[n * dim];
        var images = new List<GridImage>();
        for (int i = 0; i < n; i++)
        {
            var v = vectors.AsSpan(i * dim, dim);
            for (int d = 0; d < dim; d++) v[d] = (float)(rng.NextDouble() - 0.5);
            v[i % 3] += 0.5f;
            float norm = MathF.Sqrt(VectorDistance.Dot(v, v));
            for (int d = 0; d < dim; d++) v[d] /= norm;
            images.Add(new GridImage($"img/{i}.png", $"class{i % 3}"));
        }
        return (images, vectors);
    }

    private static double Cosine(float[] a, int i, float[] b, int j, int dim)
    {
        double dot = 0;
        for (int d = 0; d < dim; d++) dot += (double)a[i * dim + d] * b[j * dim + d];
        return dot;
    }
}
