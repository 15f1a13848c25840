using Retrieval.V1;

namespace Retrieval.Bench.Gallery;

/// <summary>
/// Embedding-like synthetic items: item i lies around the centre of class i mod <see cref="Classes"/> (Gaussian
/// centres, noise 0.5 per component), label "c{class}"; the same id always gives the same vector.
/// </summary>
public sealed class SyntheticItems(int dimension, int seed)
{
    /// <summary>Number of classes (labels).</summary>
    public const int Classes = 1000;

    private readonly float[] _centres = Gaussian(new Random(seed), Classes * dimension, 1.0);

    /// <summary>Vector length.</summary>
    public int Dimension => dimension;

    /// <summary>The vector of item <paramref name="id"/>.</summary>
    public float[] Vector(long id)
    {
        var v = Gaussian(new Random(HashCode.Combine(seed, id)), dimension, 0.5);
        int c = (int)(id % Classes);
        for (int j = 0; j < dimension; j++) v[j] += _centres[c * dimension + j];
        return v;
    }

    /// <summary>The label of item <paramref name="id"/>.</summary>
    public static string Label(long id) => $"c{id % Classes}";

    /// <summary>An UpsertVectors request for ids first .. first + count - 1.</summary>
    public UpsertVectorsRequest Request(long first, int count)
    {
        var request = new UpsertVectorsRequest();
        for (long id = first; id < first + count; id++)
        {
            var item = new V1.VectorItem { ItemId = id, Label = Label(id) };
            item.Embedding.AddRange(Vector(id));
            request.Items.Add(item);
        }
        return request;
    }

    private static float[] Gaussian(Random rng, int n, double scale)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return v;
    }
}
