using Retrieval.Train.Training;

namespace Retrieval.Train.Tests.Training;

public sealed class RetrievalEvaluatorTests
{
    private static float[] V(double x, double y) => [(float)x, (float)y];

    [Fact]
    public void QueryEqualsReferenceExcludesSelfHandComputed()
    {
        // a=(1,0) b=(.8,.6) c=(.6,.8) d=(0,1); labels 0,0,1,1. Nearest other: a->b ok, b->c wrong, c->b wrong, d->c ok.
        var e = new[] { V(1, 0), V(0.8, 0.6), V(0.6, 0.8), V(0, 1) };
        var s = RetrievalEvaluator.Score(e, [0, 0, 1, 1], null, null, [1, 2]);
        Assert.Equal(4, s.Queries);
        Assert.Equal(0.5, s.PrecisionAt1, 12);
        Assert.Equal(0.5, s.RPrecision, 12);
        Assert.Equal(0.5, s.MapAtR, 12);
        Assert.Equal(0.5, s.RecallAtK[1], 12);
        Assert.Equal(1.0, s.RecallAtK[2], 12);
    }

    [Fact]
    public void QueryVsGalleryMapAtRAndExcludedQueries()
    {
        // Gallery scores for q=(1,0): g0 .9 (label 1), g1 .8 (0), g2 .6 (0), g3 0 (1). R = 2: ranks 1..2 = wrong, right.
        // RP = 1/2, MAP@R = (1/2 * 1/2) = 0.25, P@1 = 0. A second query of label 7 has no reference and is excluded.
        var gallery = new[] { V(0.9, Math.Sqrt(1 - 0.81)), V(0.8, 0.6), V(0.6, 0.8), V(0, 1) };
        var s = RetrievalEvaluator.Score([V(1, 0), V(0, 1)], [0, 7], gallery, [1, 0, 0, 1], [1, 2, 3]);
        Assert.Equal(1, s.Queries);
        Assert.Equal(0, s.PrecisionAt1);
        Assert.Equal(0.5, s.RPrecision, 12);
        Assert.Equal(0.25, s.MapAtR, 12);
        Assert.Equal([0.0, 1.0, 1.0], s.RecallAtK.OrderBy(kv => kv.Key).Select(kv => kv.Value));
    }

    [Fact]
    public void TiesAreBrokenByReferenceIndex()
    {
        var s = RetrievalEvaluator.Score([V(1, 0)], [0], [V(0, 1), V(0, 1)], [1, 0], [1]);
        Assert.Equal(0, s.PrecisionAt1);
        var swapped = RetrievalEvaluator.Score([V(1, 0)], [0], [V(0, 1), V(0, 1)], [0, 1], [1]);
        Assert.Equal(1, swapped.PrecisionAt1);
    }
}
