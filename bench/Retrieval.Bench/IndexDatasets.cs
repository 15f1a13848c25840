using Retrieval.Core.Data;
using Retrieval.Core.IO;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>
/// The benchmark's data sets: fashion-mnist-784 by the ann-benchmarks protocol, a clustered cosine set, gallery
/// embeddings from a .npy file and a large embedding-like set. Ground truth is brute force (<see cref="ExactSearch"/>).
/// </summary>
public static class IndexDatasets
{
    /// <summary>Where Debian's dataset-fashion-mnist puts the IDX files.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>ann-benchmarks' fashion-mnist-784-euclidean: the 60,000 training images index, the 10,000 test images query, L2 on raw 0-255 pixels.</summary>
    public static IndexDataset FashionMnist(string folder, int k, int maxCount, int maxQueries)
    {
        var train = IdxFile.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        var test = IdxFile.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
        int dim = train.Rows * train.Cols;
        float[] Floats(byte[] pixels, int rows) => pixels.AsSpan(0, rows * dim).ToArray().Select(b => (float)b).ToArray();
        var data = Floats(train.Pixels, Math.Min(train.Count, maxCount));
        var queries = Floats(test.Pixels, Math.Min(test.Count, maxQueries));
        return WithTruth("fashion-mnist-784", "Fashion-MNIST train images (index) and test images (queries), raw pixels, ann-benchmarks protocol",
            VectorMetric.SquaredL2, dim, data, queries, k);
    }

    /// <summary>
    /// Clustered, embedding-like vectors: points of 10,000 classes (Gaussian around each class centre) in a 24-d latent
    /// space, mapped linearly to <paramref name="dim"/> dimensions plus small isotropic noise, normalised for cosine —
    /// low intrinsic dimension and class structure, as trained embeddings have. Queries are fresh draws.
    /// </summary>
    public static IndexDataset Clustered(string name, int count, int dim, int queries, int k, int seed)
    {
        const int latent = 24, classes = 10_000;
        var rng = new Random(seed);
        var map = new float[latent * dim];
        for (int i = 0; i < map.Length; i++) map[i] = Gaussian(rng) / MathF.Sqrt(latent);
        var centres = new float[classes * latent];
        for (int i = 0; i < centres.Length; i++) centres[i] = Gaussian(rng);
        float[] Draw(int n, Random r)
        {
            var v = new float[checked((long)n * dim)];
            var z = new float[latent];
            for (int i = 0; i < n; i++)
            {
                int c = r.Next(classes);
                for (int l = 0; l < latent; l++) z[l] = centres[c * latent + l] + 0.6f * Gaussian(r);
                for (int j = 0; j < dim; j++)
                {
                    float x = 0.05f * Gaussian(r);
                    for (int l = 0; l < latent; l++) x += z[l] * map[l * dim + j];
                    v[(long)i * dim + j] = x;
                }
            }
            return v;
        }
        var data = Draw(count, rng);
        var held = Draw(queries, new Random(seed + 1));
        return WithTruth(name, "10,000 classes in a 24-d latent space mapped to the embedding dimension plus noise, normalised, cosine",
            VectorMetric.Cosine, dim, data, held, k);
    }

    /// <summary>Embeddings from a 2-D float32 .npy file (e.g. a trained model's gallery), cosine; a seeded sample of rows is held out as queries.</summary>
    public static IndexDataset Embeddings(string path, int queries, int k, int seed)
    {
        var (all, rows, dim) = NpyFile.ReadFloat32(path);
        int held = Math.Min(queries, rows / 10);
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        var isQuery = new bool[rows];
        foreach (int r in order.Take(held)) isQuery[r] = true;
        var data = new float[(rows - held) * dim];
        var query = new float[held * dim];
        for (int r = 0, d = 0, q = 0; r < rows; r++)
            all.AsSpan(r * dim, dim).CopyTo(isQuery[r] ? query.AsSpan(q++ * dim) : data.AsSpan(d++ * dim));
        return WithTruth(Path.GetFileNameWithoutExtension(path), $"embeddings from {path}, {held} held-out rows as queries, cosine",
            VectorMetric.Cosine, dim, data, query, k);
    }

    private static IndexDataset WithTruth(string name, string description, VectorMetric metric, int dim, float[] data, float[] queries, int k)
    {
        if (metric == VectorMetric.Cosine)
        {
            Normalize(data, dim);
            Normalize(queries, dim);
        }
        BenchLog.Step($"{name}: {data.Length / dim:N0} x {dim}, {queries.Length / dim:N0} queries; exact top-{k} by brute force");
        long[] truth = ExactSearch.TopK(queries, data, dim, k, metric).SelectMany(row => row.Select(n => n.Id)).ToArray();
        return new IndexDataset(name, description, metric, dim, data, queries, truth, k);
    }

    /// <summary>L2-normalises every row in place (cosine data is stored and handed to every library normalised).</summary>
    private static void Normalize(float[] v, int dim)
    {
        for (long i = 0; i < v.LongLength; i += dim)
        {
            var row = v.AsSpan((int)i, dim);
            float norm = MathF.Sqrt(VectorDistance.Dot(row, row));
            if (norm == 0) throw new InvalidDataException($"Row {i / dim} is all zeros; cosine needs non-zero vectors.");
            foreach (ref float x in row) x /= norm;
        }
    }

    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
