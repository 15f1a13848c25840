using Retrieval.Train.Training;

namespace Retrieval.Train.Tests.Training;

public sealed class ValidationSplitTests
{
    [Fact]
    public void OrderKeyIsFnv1a64OfTheSaltedId() =>
        // FNV-1a 64 of "validation/a", computed byte by byte from the published offset basis and prime.
        Assert.Equal(Fnv("validation/a"), ValidationSplit.OrderKey("a"));

    private static ulong Fnv(string s)
    {
        var h = 0xcbf29ce484222325UL;
        foreach (var c in s) { h ^= c; h *= 0x100000001b3UL; }
        return h;
    }

    [Fact]
    public void HeldOutClassesAreDisjointFromTrainingAndDeterministic()
    {
        var train = Enumerable.Range(0, 40).SelectMany(c => Enumerable.Range(0, 1 + c % 3).Select(i => ($"img/{c}/{i}.png", $"id_{c:D4}"))).ToList();
        var a = TrainingSetsBuilder.Build(train, [("q.png", "t1")], [("g.png", "t1")], 0.25);
        var b = TrainingSetsBuilder.Build(train.AsEnumerable().Reverse().ToList(), [("q.png", "t1")], [("g.png", "t1")], 0.25);

        var validationPaths = a.Validation.Select(i => i.Path).ToHashSet();
        Assert.Equal(validationPaths, b.Validation.Select(i => i.Path).ToHashSet());
        var classOf = train.ToDictionary(i => i.Item1, i => i.Item2);
        var heldOut = validationPaths.Select(p => classOf[p]).ToHashSet();
        Assert.Equal(10, heldOut.Count);                       // round(0.25 x 40)
        Assert.DoesNotContain(a.Train, i => heldOut.Contains(classOf[i.Path]));
        Assert.Equal(train.Count, a.Train.Count + a.Validation.Count);
        // Every held-out class has at least two images (a query needs a reference).
        Assert.All(a.Validation.GroupBy(i => i.Label), g => Assert.True(g.Count() >= 2));
        Assert.Equal(30, a.TrainClasses);
        Assert.Equal(Enumerable.Range(0, 30), a.Train.Select(i => i.Label).Distinct().Order());
    }

    [Fact]
    public void SelectionFollowsTheHashOrderOfEligibleClasses()
    {
        var ids = new[] { "a", "a", "b", "b", "c", "c", "d", "e", "e", "f", "f" };
        var eligible = new[] { "a", "b", "c", "e", "f" };
        var expected = eligible.OrderBy(ValidationSplit.OrderKey).Take(2).ToHashSet();   // round(6 classes x 0.3) = 2
        Assert.Equal(expected, ValidationSplit.SelectClasses(ids, 0.3));
    }

    [Fact]
    public void TooFewClassesIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ValidationSplit.SelectClasses(["a", "a", "b", "b", "c"], 0.5));
        Assert.Contains("only 3 classes", e.Message);
    }
}
