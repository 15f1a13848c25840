using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>Seeded test vectors and a brute-force k-NN oracle, independent of the index code.</summary>
internal static class VectorData
{
    /// <summary>n Gaussian vectors scaled to unit length.</summary>
    public static float[] RandomUnit(int n, int dim, int seed)
    {
        var rng = new Random(seed);
        var v = new float[n * dim];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int j = 0; j < dim; j++)
            {
                double g = Gaussian(rng);
                v[i * dim + j] = (float)g;
                norm += g * g;
            }
            for (int j = 0; j < dim; j++) v[i * dim + j] = (float)(v[i * dim + j] / Math.Sqrt(norm));
        }
        return v;
    }

    /// <summary>n vectors around `clusters` centres (standard Gaussian), each point = centre + spread x Gaussian noise.</summary>
    public static float[] Clustered(int n, int dim, int clusters, double spread, int seed, int centreSeed)
    {
        var centreRng = new Random(centreSeed);
        var centres = new double[clusters * dim];
        for (int i = 0; i < centres.Length; i++) centres[i] = Gaussian(centreRng);
        var rng = new Random(seed);
        var v = new float[n * dim];
        for (int i = 0; i < n; i++)
        {
            int c = rng.Next(clusters);
            for (int j = 0; j < dim; j++) v[i * dim + j] = (float)(centres[c * dim + j] + spread * Gaussian(rng));
        }
        return v;
    }

    public static long[] Ids(int n, long offset = 1000) => Enumerable.Range(0, n).Select(i => offset + 7L * i).ToArray();

    /// <summary>Exact top-k ids by brute force in double precision.</summary>
    public static long[] ExactTopK(float[] data, long[] ids, int dim, ReadOnlySpan<float> query, int k, VectorMetric metric, ISet<long>? excluded = null)
    {
        var scored = new List<(double D, long Id)>(ids.Length);
        double qn = 0;
        for (int j = 0; j < dim; j++) qn += (double)query[j] * query[j];
        for (int i = 0; i < ids.Length; i++)
        {
            if (excluded?.Contains(ids[i]) == true) continue;
            double dot = 0, l2 = 0, xn = 0;
            for (int j = 0; j < dim; j++)
            {
                double x = data[i * dim + j], q = query[j];
                dot += x * q;
                l2 += (x - q) * (x - q);
                xn += x * x;
            }
            scored.Add((metric == VectorMetric.Cosine ? 1 - dot / Math.Sqrt(xn * qn) : l2, ids[i]));
        }
        return scored.OrderBy(s => s.D).ThenBy(s => s.Id).Take(k).Select(s => s.Id).ToArray();
    }

    /// <summary>Mean overlap of the index's top-k with the exact top-k.</summary>
    public static double Recall(IVectorIndex index, float[] data, long[] ids, float[] queries, int k, int ef, ISet<long>? excluded = null)
    {
        int dim = index.Dimension, nq = queries.Length / dim;
        var recalls = new double[nq];
        Parallel.For(0, nq, q =>
        {
            var query = queries.AsSpan(q * dim, dim);
            var exact = ExactTopK(data, ids, dim, query, k, index.Metric, excluded).ToHashSet();
            var found = index.Search(query, k, new SearchParams(ef));
            recalls[q] = found.Count(n => exact.Contains(n.Id)) / (double)k;
        });
        return recalls.Average();
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
