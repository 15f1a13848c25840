using Retrieval.Study.Features;
using Retrieval.Study.Heads;

namespace Retrieval.Study.Tests.Heads;

[Collection("TorchSharp")]
public class TestEvaluationTests
{
    // One query (class X) against four gallery items. Head A sees features 0-1, head B features 2-3; each view is a 2-d
    // direction at the angle given (scaled by 2 and 3, which the heads' L2 normalisation removes).
    private static float[] Item(double angleA, double angleB)
    {
        double a = angleA * Math.PI / 180, b = angleB * Math.PI / 180;
        return [(float)(2 * Math.Cos(a)), (float)(2 * Math.Sin(a)), (float)(3 * Math.Cos(b)), (float)(3 * Math.Sin(b))];
    }

    private static readonly FeatureSet Fixture = new("fixture", "hand-made",
        new LabeledFeatures(new float[4], 4, ["X"]),
        new LabeledFeatures(Item(0, 0), 4, ["X"]),
        new LabeledFeatures([.. Item(0, 90), .. Item(30, 60), .. Item(90, 10), .. Item(120, 180)], 4, ["X", "Y", "X", "Y"]));

    private static readonly HeadWeights HeadA = new(4, 2, [1, 0, 0, 0, 0, 1, 0, 0], [0, 0]);
    private static readonly HeadWeights HeadB = new(4, 2, [0, 0, 1, 0, 0, 0, 0, 1], [0, 0]);

    [Fact]
    public void Separated_scores_each_head_on_its_own()
    {
        // A: cosines g1 1, g2 .866, g3 0, g4 -.5 -> top R = 2: hit, miss. B: g3 .985, g2 .5, g1 0, g4 -1 -> hit, miss.
        var reports = TestEvaluation.Separated([HeadA, HeadB], Fixture);
        foreach (var r in reports)
        {
            Assert.Equal(1, r.PrecisionAt1, 9);
            Assert.Equal(0.5, r.RPrecision, 9);
            Assert.Equal(0.5, r.MapAtR, 9);
        }
    }

    [Fact]
    public void Concatenated_equals_the_hand_computation()
    {
        // Joined cosine = mean of the two: g2 (.866 + .5) / 2 = .683, g1 .5, g3 (0 + .985) / 2 = .492, g4 -.75.
        // Ranking g2 (miss), g1 (hit): P@1 0, R-Precision 1/2, MAP@R = (1/2)(1/2) = 0.25.
        var report = TestEvaluation.Concatenated([HeadA, HeadB], Fixture);
        Assert.Equal(1, report.Queries);
        Assert.Equal(0, report.PrecisionAt1, 9);
        Assert.Equal(0.5, report.RPrecision, 9);
        Assert.Equal(0.25, report.MapAtR, 9);
    }

    [Fact]
    public void Concatenation_of_unit_rows_has_unit_rows()
    {
        var joined = TestEvaluation.Concatenate([[0.6f, 0.8f, 1, 0], [0, 0.28f, 0.96f, 1, 0, 0]], [2, 3]);
        Assert.Equal(10, joined.Length);
        for (var r = 0; r < 2; r++)
            Assert.Equal(1, Math.Sqrt(joined.Skip(r * 5).Take(5).Sum(v => v * v)), 5);
        Assert.Equal(0.6 / Math.Sqrt(2), joined[0], 6);
        Assert.Equal(0, joined[2], 6);
    }
}
