using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

/// <summary>Compares a loss's value and autograd gradients with a double-precision formula (central differences).</summary>
internal static class LossCheck
{
    /// <summary>n random unit-length rows of dimension d.</summary>
    public static double[][] RandomUnitRows(Random rng, int n, int d) =>
        Enumerable.Range(0, n).Select(_ =>
        {
            var v = Enumerable.Range(0, d).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var norm = Math.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm).ToArray();
        }).ToArray();

    public static Tensor ToTensor(double[][] rows, ScalarType type = ScalarType.Float64) =>
        tensor(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length).to_type(type);

    public static double[][] ToRows(Tensor t)
    {
        var flat = t.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        var columns = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(r => flat.AsSpan(r * columns, columns).ToArray()).ToArray();
    }

    /// <summary>Sets the loss's single parameter (in float64) to the given rows.</summary>
    public static void SetParameter(MetricLoss loss, double[][] rows)
    {
        using var _ = no_grad();
        loss.LossParameters.Single().copy_(ToTensor(rows));
    }

    /// <summary>The float64 loss of one sample e (label y) with the loss's parameter set to <paramref name="parameter"/>.</summary>
    public static double SingleSample(MetricLoss loss, double[][] parameter, double[] e, long y)
    {
        using var scope = NewDisposeScope();
        SetParameter(loss.to(ScalarType.Float64), parameter);
        return loss.forward(tensor(e).view(1, e.Length), tensor(new[] { y })).item<double>();
    }

    /// <summary>
    /// Runs <paramref name="loss"/> in float64 on (E, labels) and asserts its value and its gradients with respect to E
    /// and to its (at most one) parameter equal <paramref name="formula"/>(E, P) and its central differences.
    /// </summary>
    public static void AssertMatchesFormula(MetricLoss loss, double[][] e, long[] labels, Func<double[][], double[][]?, double> formula)
    {
        using var scope = NewDisposeScope();
        loss.to(ScalarType.Float64);
        var parameter = loss.LossParameters.SingleOrDefault();
        var p = parameter is null ? null : ToRows(parameter);
        var input = ToTensor(e).requires_grad_(true);
        var value = loss.forward(input, tensor(labels));
        value.backward();

        var expected = formula(e, p);
        Assert.True(Math.Abs(expected - value.item<double>()) <= 1e-9 + 1e-9 * Math.Abs(expected), $"loss {value.item<double>():R} != formula {expected:R}");
        AssertClose(Differences(x => formula(x, p), e), ToRows(input.grad!), "d/d embeddings");
        if (parameter is not null)
            AssertClose(Differences(x => formula(e, x), p!), ToRows(parameter.grad!), "d/d loss parameter");
    }

    /// <summary>Central-difference gradient of f at x.</summary>
    public static double[][] Differences(Func<double[][], double> f, double[][] x)
    {
        const double h = 1e-6;
        var copy = x.Select(r => r.ToArray()).ToArray();
        var grad = x.Select(r => new double[r.Length]).ToArray();
        for (var i = 0; i < x.Length; i++)
            for (var j = 0; j < x[i].Length; j++)
            {
                var keep = copy[i][j];
                copy[i][j] = keep + h;
                var up = f(copy);
                copy[i][j] = keep - h;
                var down = f(copy);
                copy[i][j] = keep;
                grad[i][j] = (up - down) / (2 * h);
            }
        return grad;
    }

    public static void AssertClose(double[][] expected, double[][] actual, string what)
    {
        var scale = Math.Max(1e-3, expected.SelectMany(r => r).Max(Math.Abs));
        for (var i = 0; i < expected.Length; i++)
            for (var j = 0; j < expected[i].Length; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= 1e-6 * scale,
                    $"{what}[{i},{j}]: autograd {actual[i][j]:R} vs finite difference {expected[i][j]:R}");
    }
}
