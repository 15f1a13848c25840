namespace Retrieval.Train.Tests.Losses;

/// <summary>The losses' equations as plain double-precision loops over explicit samples, pairs and classes (the test oracle).</summary>
internal static class LossFormulas
{
    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
    private static double Relu(double x) => Math.Max(0, x);

    /// <summary>Unit-norm columns of a [D][C] matrix, returned as C vectors.</summary>
    public static double[][] UnitColumns(double[][] w)
    {
        var d = w.Length;
        var c = w[0].Length;
        return Enumerable.Range(0, c).Select(k =>
        {
            var norm = Math.Sqrt(Enumerable.Range(0, d).Sum(r => w[r][k] * w[r][k]));
            return Enumerable.Range(0, d).Select(r => w[r][k] / norm).ToArray();
        }).ToArray();
    }

    public static double MeanFieldContrastive(double[][] e, double[][] w, long[] y, double mp, double mn, double lambdaMf)
    {
        var m = UnitColumns(w);
        double sum = 0;
        for (var i = 0; i < e.Length; i++)
            for (var c = 0; c < m.Length; c++)
            {
                var d = 1 - Dot(e[i], m[c]);
                sum += c == y[i] ? Relu(d - mp) : Relu(mn - d);
            }
        double reg = 0;
        for (var c = 0; c < m.Length; c++)
            for (var k = 0; k < m.Length; k++)
                if (k != c) reg += Math.Pow(Relu(mn - (1 - Dot(m[c], m[k]))), 2);
        return sum / e.Length + lambdaMf * reg / m.Length;
    }

    /// <summary>MFCWMS in the reference code's C x C form: every class pair, absent classes contributing 0 sums.</summary>
    public static double MeanFieldClassWiseMultiSimilarity(double[][] e, double[][] w, long[] y, double alpha, double beta, double lam, double lambdaMf)
    {
        var m = UnitColumns(w);
        var classes = m.Length;
        var count = new int[classes];
        foreach (var label in y) count[label]++;
        var present = count.Count(n => n > 0);
        // a[c, k] = (1/N_c) sum_{i in c} exp(beta (e_i.M_k - lam)); 0 for an absent c.
        var a = new double[classes, classes];
        var positive = new double[classes];
        for (var i = 0; i < e.Length; i++)
        {
            var c = (int)y[i];
            positive[c] += Math.Exp(-alpha * (Dot(e[i], m[c]) - lam)) / count[c];
            for (var k = 0; k < classes; k++) a[c, k] += Math.Exp(beta * (Dot(e[i], m[k]) - lam)) / count[c];
        }
        double pos = 0, neg = 0, reg = 0;
        for (var c = 0; c < classes; c++)
        {
            if (count[c] > 0) pos += Math.Log(1 + positive[c]);
            for (var k = c + 1; k < classes; k++) neg += Math.Log(1 + a[c, k] + a[k, c]);
            for (var k = 0; k < classes; k++)
                if (k != c) reg += Math.Pow(Math.Log(1 + Math.Exp(beta * (Dot(m[c], m[k]) - lam))) / beta, 2);
        }
        return pos / (alpha * present) + neg / (beta * present) + lambdaMf * reg / classes;
    }

    public static double ClassWiseMultiSimilarity(double[][] e, long[] y, double alpha, double beta, double lam)
    {
        var classes = y.Distinct().ToArray();
        double pos = 0, neg = 0;
        foreach (var c in classes)
        {
            var ic = Enumerable.Range(0, e.Length).Where(i => y[i] == c).ToArray();
            pos += Math.Log(1 + ic.Sum(i => ic.Sum(j => Math.Exp(-alpha * (Dot(e[i], e[j]) - lam)))) / (2.0 * ic.Length * ic.Length));
            foreach (var k in classes.Where(k => k > c))
            {
                var ik = Enumerable.Range(0, e.Length).Where(i => y[i] == k).ToArray();
                neg += Math.Log(1 + ic.Sum(i => ik.Sum(j => Math.Exp(beta * (Dot(e[i], e[j]) - lam)))) / (ic.Length * ik.Length));
            }
        }
        return pos / (alpha * classes.Length) + neg / (beta * classes.Length);
    }

    /// <summary>PML contrastive: Euclidean distance, ordered pairs, each kind averaged over its non-zero losses.</summary>
    public static double Contrastive(double[][] e, long[] y, double mp, double mn)
    {
        var positive = new List<double>();
        var negative = new List<double>();
        for (var i = 0; i < e.Length; i++)
            for (var j = 0; j < e.Length; j++)
            {
                if (i == j) continue;
                var d = Math.Sqrt(e[i].Zip(e[j], (a, b) => (a - b) * (a - b)).Sum());
                if (y[i] == y[j]) positive.Add(Relu(d - mp)); else negative.Add(Relu(mn - d));
            }
        if (positive.Count <= 1 && negative.Count <= 1) return 0;
        static double AverageNonZero(List<double> l) => !l.Any(x => x > 0) ? 0 : l.Sum() / l.Count(x => x > 0);
        return AverageNonZero(positive) + AverageNonZero(negative);
    }

    /// <summary>Proxy-Anchor with proxies as rows p[C][D].</summary>
    public static double ProxyAnchor(double[][] e, double[][] p, long[] y, double delta, double alpha)
    {
        var proxies = p.Select(r => { var n = Math.Sqrt(Dot(r, r)); return r.Select(x => x / n).ToArray(); }).ToArray();
        double pos = 0, neg = 0;
        for (var c = 0; c < proxies.Length; c++)
        {
            var ps = Enumerable.Range(0, e.Length).Where(i => y[i] == c).Sum(i => Math.Exp(-alpha * (Dot(e[i], proxies[c]) - delta)));
            var ns = Enumerable.Range(0, e.Length).Where(i => y[i] != c).Sum(i => Math.Exp(alpha * (Dot(e[i], proxies[c]) + delta)));
            pos += Math.Log(1 + ps);
            neg += Math.Log(1 + ns);
        }
        return pos / y.Distinct().Count() + neg / proxies.Length;
    }

    /// <summary>Mean cross-entropy of logits[i][c] against labels.</summary>
    private static double CrossEntropy(double[][] logits, long[] y) =>
        Enumerable.Range(0, y.Length).Average(i =>
        {
            var max = logits[i].Max();
            return max + Math.Log(logits[i].Sum(z => Math.Exp(z - max))) - logits[i][y[i]];
        });

    private static double[][] Cosines(double[][] e, double[][] w)
    {
        var m = UnitColumns(w);
        return e.Select(r => m.Select(c => Dot(r, c)).ToArray()).ToArray();
    }

    public static double NormalizedSoftmax(double[][] e, double[][] w, long[] y, double temperature) =>
        CrossEntropy(Cosines(e, w).Select(r => r.Select(c => c / temperature).ToArray()).ToArray(), y);

    public static double CosFace(double[][] e, double[][] w, long[] y, double m, double s) =>
        CrossEntropy(Cosines(e, w).Select((r, i) => r.Select((c, k) => s * (k == y[i] ? c - m : c)).ToArray()).ToArray(), y);

    public static double ArcFace(double[][] e, double[][] w, long[] y, double degrees, double s)
    {
        var m = degrees * Math.PI / 180;
        return CrossEntropy(Cosines(e, w).Select((r, i) => r.Select((c, k) =>
        {
            if (k != y[i]) return s * c;
            var theta = Math.Acos(c);
            return s * (theta <= Math.PI - m ? Math.Cos(theta + m) : c - m * Math.Sin(m));
        }).ToArray()).ToArray(), y);
    }

    /// <summary>ProxyNCA with proxies as rows p[C][D]: softmax over -s ||e - p_c/|p_c| ||^2.</summary>
    public static double ProxyNca(double[][] e, double[][] p, long[] y, double s)
    {
        var proxies = p.Select(r => { var n = Math.Sqrt(Dot(r, r)); return r.Select(x => x / n).ToArray(); }).ToArray();
        return CrossEntropy(e.Select(r => proxies.Select(q => -s * r.Zip(q, (a, b) => (a - b) * (a - b)).Sum()).ToArray()).ToArray(), y);
    }

    /// <summary>Multi-similarity with the MS miner, per anchor over explicit pairs, averaged over all anchors.</summary>
    public static double MultiSimilarity(double[][] e, long[] y, double alpha, double beta, double baseSimilarity, double eps)
    {
        var n = e.Length;
        var positives = new List<(int, int)>();
        var negatives = new List<(int, int)>();
        var anyPositive = Enumerable.Range(0, n).Any(i => Enumerable.Range(0, n).Any(j => i != j && y[i] == y[j]));
        var anyNegative = y.Distinct().Count() > 1;
        if (anyPositive && anyNegative)
            for (var a = 0; a < n; a++)
            {
                var pos = Enumerable.Range(0, n).Where(j => j != a && y[j] == y[a]).ToList();
                var neg = Enumerable.Range(0, n).Where(j => y[j] != y[a]).ToList();
                var hardestNegative = neg.Count == 0 ? double.NegativeInfinity : neg.Max(j => Dot(e[a], e[j]));
                var hardestPositive = pos.Count == 0 ? double.PositiveInfinity : pos.Min(j => Dot(e[a], e[j]));
                positives.AddRange(pos.Where(j => Dot(e[a], e[j]) - eps < hardestNegative).Select(j => (a, j)));
                negatives.AddRange(neg.Where(j => Dot(e[a], e[j]) + eps > hardestPositive).Select(j => (a, j)));
            }
        if (positives.Count <= 1 && negatives.Count <= 1) return 0;
        return Enumerable.Range(0, n).Average(a =>
            Math.Log(1 + positives.Where(p => p.Item1 == a).Sum(p => Math.Exp(-alpha * (Dot(e[a], e[p.Item2]) - baseSimilarity)))) / alpha
            + Math.Log(1 + negatives.Where(p => p.Item1 == a).Sum(p => Math.Exp(beta * (Dot(e[a], e[p.Item2]) - baseSimilarity)))) / beta);
    }
}
