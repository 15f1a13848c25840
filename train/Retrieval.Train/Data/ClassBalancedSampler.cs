namespace Retrieval.Train.Data;

/// <summary>
/// Plans class-balanced batches: each batch holds <c>classesPerBatch</c> distinct classes with
/// <c>imagesPerClass</c> images each. Classes are visited in a seeded random order, cycling when the
/// order is used up; a class with at least m images gives m distinct images, a class with fewer gives
/// all of them and then repeats some (drawn with replacement) so every batch has exactly C x m items.
/// The plan of an epoch depends only on (seed, epoch), which is what makes a resumed run repeat.
/// </summary>
public sealed class ClassBalancedSampler
{
    private readonly int[][] _itemsByClass;

    /// <param name="labels">Class index of every training item (0..numClasses-1).</param>
    public ClassBalancedSampler(IReadOnlyList<int> labels, int classesPerBatch, int imagesPerClass, int seed)
    {
        if (classesPerBatch < 2) throw new ArgumentOutOfRangeException(nameof(classesPerBatch), "classes per batch must be at least 2");
        if (imagesPerClass < 1) throw new ArgumentOutOfRangeException(nameof(imagesPerClass), "images per class must be at least 1");
        var groups = labels.Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key).ToList();
        if (groups.Count < classesPerBatch)
            throw new ArgumentException($"classes per batch ({classesPerBatch}) exceeds the number of training classes ({groups.Count})", nameof(classesPerBatch));
        _itemsByClass = groups.Select(g => g.Select(p => p.index).ToArray()).ToArray();
        ClassesPerBatch = classesPerBatch;
        ImagesPerClass = imagesPerClass;
        Seed = seed;
        BatchesPerEpoch = Math.Max(1, labels.Count / BatchSize);
    }

    public int ClassesPerBatch { get; }
    public int ImagesPerClass { get; }
    public int Seed { get; }
    public int BatchSize => ClassesPerBatch * ImagesPerClass;

    /// <summary>Batches in one epoch: as many as the training items fill (at least one).</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The item indices of every batch of <paramref name="epoch"/>, in order.</summary>
    public int[][] PlanEpoch(int epoch)
    {
        var rng = new Random(SeedMix.Combine(Seed, epoch, 0x5A3F));
        var order = Shuffled(_itemsByClass.Length, rng);
        var cursor = 0;
        var batches = new int[BatchesPerEpoch][];
        for (var b = 0; b < batches.Length; b++)
        {
            var chosen = new HashSet<int>();
            var batch = new List<int>(BatchSize);
            while (chosen.Count < ClassesPerBatch)
            {
                if (cursor == order.Length) { order = Shuffled(_itemsByClass.Length, rng); cursor = 0; }
                var cls = order[cursor++];
                if (chosen.Add(cls)) batch.AddRange(PickImages(_itemsByClass[cls], rng));
            }
            batches[b] = batch.ToArray();
        }
        return batches;
    }

    private IEnumerable<int> PickImages(int[] items, Random rng)
    {
        var pool = (int[])items.Clone();
        var distinct = Math.Min(ImagesPerClass, pool.Length);
        for (var i = 0; i < distinct; i++)
        {
            var j = rng.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            yield return pool[i];
        }
        for (var i = distinct; i < ImagesPerClass; i++) yield return items[rng.Next(items.Length)];
    }

    private static int[] Shuffled(int n, Random rng)
    {
        var a = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(a);
        return a;
    }
}
