using Retrieval.Cli.Eval;
using Retrieval.Core.Search;

namespace Retrieval.Serve.Tests.Eval;

/// <summary>ANN recall@k: hand-computed overlaps of approximate and exact top-k ids.</summary>
public sealed class AnnRecallTests
{
    [Fact]
    public void AveragesTheTopKOverlapPerQuery()
    {
        Neighbor[][] exact = [Ids(1, 2, 3, 9), Ids(4, 5, 6, 9)];
        Neighbor[][] approx = [Ids(3, 2, 7, 1), Ids(4, 8, 9, 5)];
        // query 0: {3,2,7} vs {1,2,3} -> 2/3; query 1: {4,8,9} vs {4,5,6} -> 1/3 (9 is past k)
        Assert.Equal(0.5, AnnRecall.AtK(approx, exact, 3), 12);
        Assert.Equal(0.5, AnnRecall.AtK(approx, exact, 1), 12);
        Assert.Equal(1.0, AnnRecall.AtK(exact, exact, 4), 12);
    }

    [Fact]
    public void ShortExactListsCountOnlyTheirOwnIds()
    {
        Assert.Equal(0.5, AnnRecall.AtK([Ids(7)], [Ids(7, 8)], 10), 12);
        Assert.Throws<ArgumentException>(() => AnnRecall.AtK([Ids(1)], [], 1));
    }

    /// <summary>A ranking of the given ids, distance = rank.</summary>
    private static Neighbor[] Ids(params long[] ids) => ids.Select((id, rank) => new Neighbor(id, rank)).ToArray();
}
