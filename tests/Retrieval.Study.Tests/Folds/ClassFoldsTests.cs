using Retrieval.Study.Folds;

namespace Retrieval.Study.Tests.Folds;

public class ClassFoldsTests
{
    private static readonly string[] Classes = Enumerable.Range(0, 103).Select(i => $"class-{i:D4}").ToArray();

    [Fact]
    public void Every_class_is_in_exactly_one_fold_and_the_folds_are_balanced()
    {
        var folds = ClassFolds.Assign(Classes, 4);
        Assert.Equal(Classes.Length, folds.Count);
        var sizes = folds.Values.GroupBy(f => f).Select(g => g.Count()).Order().ToArray();
        Assert.Equal([25, 26, 26, 26], sizes);
    }

    [Fact]
    public void The_split_depends_only_on_the_class_ids()
    {
        var first = ClassFolds.Assign(Classes, 4);
        var shuffled = Classes.Reverse().SelectMany(c => new[] { c, c }).ToArray(); // other order, repeated ids (one per item)
        var second = ClassFolds.Assign(shuffled, 4);
        Assert.Equal(first.OrderBy(p => p.Key), second.OrderBy(p => p.Key));
    }

    [Fact]
    public void Fold_data_is_class_disjoint_and_covers_every_row()
    {
        var ids = Enumerable.Range(0, 400).Select(i => $"c{i % 40}").ToArray();
        var features = new Retrieval.Study.Features.LabeledFeatures(new float[ids.Length * 3], 3, ids);
        var folds = FoldData.Split(features, 4);
        foreach (var fold in folds)
        {
            Assert.Empty(fold.Train.ClassIds.Intersect(fold.Validation.ClassIds));
            Assert.Equal(ids.Length, fold.Train.Count + fold.Validation.Count);
            Assert.Equal(fold.Train.ClassIds.Distinct().Count(), fold.TrainClasses);
            Assert.Equal(fold.TrainClasses - 1, fold.TrainLabels.Max());
        }
        Assert.Equal(ids.Length, folds.Sum(f => f.Validation.Count));
    }

    [Fact]
    public void Too_few_classes_is_an_error() =>
        Assert.Throws<InvalidOperationException>(() => ClassFolds.Assign(["a", "b", "c"], 4));
}
