using Retrieval.Core.Metrics;
using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Metrics;

public sealed class RetrievalMetricsTests
{
    private static Neighbor[] Rank(params int[] ids) => ids.Select((id, i) => new Neighbor(id, i)).ToArray();

    [Fact]
    public void QueryVsGalleryMatchesHandComputedValues()
    {
        // Gallery labels: 0 0 1 1 1 2.  Query A (label 0, R = 2) ranks gallery 2,0,3,1,...: relevant at ranks 2 and 4.
        //   P@1 = 0; top-R (2) holds one hit -> RP = 1/2; MAP@R = (1/2)(0 + 1/2) = 1/4 (rank 4 is beyond R).
        // Query B (label 1, R = 3) ranks 2,3,0,4: hits at 1,2 within R=3 -> P@1 = 1, RP = 2/3, MAP@R = (1/3)(1 + 1 + 0) = 2/3.
        // Query C (label 7) has no gallery item: excluded.
        int[] gallery = [0, 0, 1, 1, 1, 2];
        var report = RetrievalMetrics.Score(
            [Rank(2, 0, 3, 1, 4, 5), Rank(2, 3, 0, 4, 1, 5), Rank(0, 1, 2, 3, 4, 5)],
            [0, 1, 7], gallery, EvaluationMode.QueryVsGallery, [1, 2, 4]);

        Assert.Equal(2, report.Queries);
        Assert.Equal(1, report.ExcludedQueries);
        Assert.Equal((0 + 1) / 2.0, report.PrecisionAt1, 12);
        Assert.Equal((1 / 2.0 + 2 / 3.0) / 2, report.RPrecision, 12);
        Assert.Equal((1 / 4.0 + 2 / 3.0) / 2, report.MapAtR, 12);
        // Recall@1: A miss, B hit -> 1/2; Recall@2: A hit (rank 2), B hit -> 1; Recall@4 -> 1.
        Assert.Equal(0.5, report.RecallAtK[1], 12);
        Assert.Equal(1.0, report.RecallAtK[2], 12);
        Assert.Equal(1.0, report.RecallAtK[4], 12);
    }

    [Fact]
    public void QueryIsReferenceExcludesTheQueryFromR()
    {
        // Labels 0 0 0 1 1. Query 0 (label 0): R = 2 (itself excluded); ranking 3,1,2 -> hit at rank 2 only within R.
        //   RP = 1/2, MAP@R = (1/2)(0 + 1/2) = 1/4, P@1 = 0.
        // Query 3 (label 1): R = 1; ranking 4 -> RP = 1, MAP = 1, P@1 = 1.
        int[] labels = [0, 0, 0, 1, 1];
        var report = RetrievalMetrics.Score(
            [Rank(3, 1, 2, 4), Rank(0, 2, 3, 4), Rank(0, 1, 3, 4), Rank(4, 0, 1, 2), Rank(3, 0, 1, 2)],
            labels, labels, EvaluationMode.QueryIsReference, [1]);

        // Query 1: R=2, ranking 0,2 -> RP 1, MAP 1, P@1 1. Query 2: same -> 1. Query 4: ranking 3 -> 1.
        Assert.Equal(5, report.Queries);
        Assert.Equal((0 + 1 + 1 + 1 + 1) / 5.0, report.PrecisionAt1, 12);
        Assert.Equal((0.5 + 1 + 1 + 1 + 1) / 5.0, report.RPrecision, 12);
        Assert.Equal((0.25 + 1 + 1 + 1 + 1) / 5.0, report.MapAtR, 12);
    }

    [Fact]
    public void ExactEvaluationBreaksTiesBySmallerReferenceIndex()
    {
        // Three identical gallery vectors (labels 1, 0, 0): the query ties with all; ties go to index order 0,1,2.
        // Query label 0, R = 2: ranking 0(label 1),1,2 -> P@1 = 0, RP = 1/2, MAP@R = (1/2)(0 + 1/2) = 1/4.
        float[] gallery = [1, 0, 1, 0, 1, 0];
        var report = RetrievalMetrics.EvaluateExact([1, 0], [0], gallery, [1, 0, 0], 2, EvaluationMode.QueryVsGallery, [1, 3]);
        Assert.Equal(0, report.PrecisionAt1);
        Assert.Equal(0.5, report.RPrecision, 12);
        Assert.Equal(0.25, report.MapAtR, 12);
        Assert.Equal(0, report.RecallAtK[1]);
        Assert.Equal(1, report.RecallAtK[3]);
    }

    [Fact]
    public void QueryWithOnlyItselfIsExcludedInQueryIsReferenceMode()
    {
        float[] e = [1, 0, 0, 1, 0.6f, 0.8f];
        var report = RetrievalMetrics.EvaluateExact(e, [0, 1, 1], e, [0, 1, 1], 2, EvaluationMode.QueryIsReference, [1]);
        Assert.Equal(2, report.Queries);
        Assert.Equal(1, report.ExcludedQueries);
        Assert.Equal(1.0, report.MapAtR, 12);
    }

    [Fact]
    public void ReportRoundTripsThroughJson()
    {
        var report = new RetrievalReport(3, 1, 0.5, 0.25, 0.125, new SortedDictionary<int, double> { [1] = 0.5, [10] = 1 });
        var back = RetrievalReport.FromJson(report.ToJson());
        Assert.Equal(report with { RecallAtK = back.RecallAtK }, back);
        Assert.Equal(report.RecallAtK, back.RecallAtK);
        Assert.Contains("\"map_at_r\"", report.ToJson());
    }

    [Theory]
    [InlineData(EvaluationMode.QueryVsGallery, 11)]
    [InlineData(EvaluationMode.QueryIsReference, 12)]
    public void ExactMetricsEqualABruteForceDoublePrecisionLoop(EvaluationMode mode, int seed)
    {
        var rng = new Random(seed);
        const int dim = 8, nq = 60, ng = 90, classes = 9;
        float[] gallery = UnitRows(rng, ng, dim);
        int[] galleryLabels = Enumerable.Range(0, ng).Select(_ => rng.Next(classes)).ToArray();
        float[] queries = mode == EvaluationMode.QueryIsReference ? gallery : UnitRows(rng, nq, dim);
        int[] queryLabels = mode == EvaluationMode.QueryIsReference ? galleryLabels : Enumerable.Range(0, nq).Select(_ => rng.Next(classes + 2)).ToArray();
        int[] ks = [1, 2, 4, 8];

        var report = RetrievalMetrics.EvaluateExact(queries, queryLabels, gallery, galleryLabels, dim, mode, ks);
        var expected = BruteForce(queries, queryLabels, gallery, galleryLabels, dim, mode == EvaluationMode.QueryIsReference, ks);

        Assert.Equal(expected.Queries, report.Queries);
        Assert.Equal(expected.ExcludedQueries, report.ExcludedQueries);
        Assert.Equal(expected.PrecisionAt1, report.PrecisionAt1, 12);
        Assert.Equal(expected.RPrecision, report.RPrecision, 12);
        Assert.Equal(expected.MapAtR, report.MapAtR, 12);
        foreach (int k in ks) Assert.Equal(expected.RecallAtK[k], report.RecallAtK[k], 12);
    }

    private static float[] UnitRows(Random rng, int n, int dim)
    {
        var v = new float[n * dim];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int j = 0; j < dim; j++) { v[i * dim + j] = (float)(rng.NextDouble() * 2 - 1); norm += v[i * dim + j] * v[i * dim + j]; }
            for (int j = 0; j < dim; j++) v[i * dim + j] /= (float)Math.Sqrt(norm);
        }
        return v;
    }

    /// <summary>Naive reference: full sort by double-precision cosine per query, metrics straight from the definitions.</summary>
    private static RetrievalReport BruteForce(float[] q, int[] ql, float[] g, int[] gl, int dim, bool self, int[] ks)
    {
        int nq = ql.Length, ng = gl.Length, scored = 0, excluded = 0;
        double p1 = 0, rp = 0, map = 0;
        var recall = new double[ks.Length];
        for (int i = 0; i < nq; i++)
        {
            var order = Enumerable.Range(0, ng).Where(j => !(self && j == i))
                .Select(j => (j, sim: Enumerable.Range(0, dim).Sum(d => (double)q[i * dim + d] * g[j * dim + d])))
                .OrderByDescending(t => t.sim).ThenBy(t => t.j).Select(t => t.j).ToArray();
            int r = order.Count(j => gl[j] == ql[i]);
            if (r == 0) { excluded++; continue; }
            scored++;
            p1 += gl[order[0]] == ql[i] ? 1 : 0;
            rp += order.Take(r).Count(j => gl[j] == ql[i]) / (double)r;
            double ap = 0;
            for (int rank = 1; rank <= r; rank++)
                if (gl[order[rank - 1]] == ql[i]) ap += order.Take(rank).Count(j => gl[j] == ql[i]) / (double)rank;
            map += ap / r;
            for (int t = 0; t < ks.Length; t++) recall[t] += order.Take(ks[t]).Any(j => gl[j] == ql[i]) ? 1 : 0;
        }
        return new RetrievalReport(scored, excluded, p1 / scored, rp / scored, map / scored,
            ks.Select((k, t) => (k, t)).ToDictionary(x => x.k, x => recall[x.t] / scored));
    }
}
