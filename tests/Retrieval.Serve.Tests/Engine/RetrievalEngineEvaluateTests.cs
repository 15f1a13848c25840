using Retrieval.Serve.Engine;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Engine;

public sealed class RetrievalEngineEvaluateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evaluate").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] At(double degrees) =>
        FakeImage.Encode([(float)Math.Cos(degrees * Math.PI / 180), (float)Math.Sin(degrees * Math.PI / 180)]);

    [Fact]
    public async Task MatchesHandComputedValues()
    {
        var engine = TestEngine.Create(_dir, 2);
        await engine.StartAsync(CancellationToken.None);
        // Gallery on the unit circle; seen from 0°-5° the ranking is a b a b a c. Counts: a = 3, b = 2, c = 1.
        (double Angle, string Label)[] gallery = [(10, "a"), (20, "b"), (30, "a"), (40, "b"), (100, "a"), (110, "c")];
        await engine.UpsertAsync(gallery.Select((g, i) => new UpsertInput(100 - i, g.Label, At(g.Angle), "")).ToAsyncEnumerable(), CancellationToken.None);

        LabelledQuery[] queries =
        [
            // Label a, R = 3: top 3 = a b a, hits at 1 and 3. P@1 = 1; R-Precision = 2/3; MAP@R = (1/1 + 2/3) / 3 = 5/9; R@1 = R@10 = 1.
            new LabelledQuery(At(0), "a"),
            // Label b, R = 2: top 2 = a b, hit at 2. P@1 = 0; R-Precision = 1/2; MAP@R = (1/2) / 2 = 1/4; R@1 = 0, R@10 = 1.
            new LabelledQuery(At(5), "b"),
            // A label with no gallery item is excluded.
            new LabelledQuery(At(0), "z"),
        ];
        var report = await engine.EvaluateAsync(queries.ToAsyncEnumerable(), CancellationToken.None);

        Assert.Equal(2, report.Queries);
        Assert.Equal(1, report.ExcludedQueries);
        Assert.Equal(0.5, report.PrecisionAt1, 12);
        Assert.Equal((2.0 / 3 + 0.5) / 2, report.RPrecision, 12);
        Assert.Equal((5.0 / 9 + 0.25) / 2, report.MapAtR, 12);
        Assert.Equal(0.5, report.RecallAtK[1], 12);
        Assert.Equal(1.0, report.RecallAtK[10], 12);
        Assert.Equal(1.0, report.RecallAtK[50], 12);
    }
}
