namespace Retrieval.Study.Features;

/// <summary>Row-major feature vectors [Count x Dimension] with the class id of every row.</summary>
public sealed record LabeledFeatures(float[] Vectors, int Dimension, IReadOnlyList<string> ClassIds)
{
    /// <summary>Number of rows.</summary>
    public int Count => ClassIds.Count;

    /// <summary>Row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Row(int index) => Vectors.AsSpan(index * Dimension, Dimension);

    /// <summary>The rows whose indices are listed, in that order.</summary>
    public LabeledFeatures Select(IReadOnlyList<int> rows)
    {
        var vectors = new float[rows.Count * Dimension];
        for (var i = 0; i < rows.Count; i++) Row(rows[i]).CopyTo(vectors.AsSpan(i * Dimension, Dimension));
        return new LabeledFeatures(vectors, Dimension, rows.Select(r => ClassIds[r]).ToArray());
    }

    /// <summary>Dense labels 0..k-1 by ordinal order of the class ids present.</summary>
    public int[] DenseLabels()
    {
        var index = ClassIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        return ClassIds.Select(c => index[c]).ToArray();
    }
}
