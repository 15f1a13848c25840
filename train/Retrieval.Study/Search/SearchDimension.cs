namespace Retrieval.Study.Search;

/// <summary>One searched hyper-parameter: its key (a loss parameter key, or "lr" / "loss-lr-ratio") and its range, sampled uniformly or log-uniformly.</summary>
public sealed record SearchDimension(string Key, double Low, double High, bool Log)
{
    /// <summary>A value drawn from the range with <paramref name="rng"/>, rounded to 3 significant digits (so reports show exactly what ran).</summary>
    public double Sample(Random rng)
    {
        var u = rng.NextDouble();
        var v = Log ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low);
        return Math.Clamp(RoundSignificant(v, 3), Low, High);
    }

    private static double RoundSignificant(double v, int digits)
    {
        if (v == 0) return 0;
        var scale = Math.Pow(10, digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(v))));
        return Math.Round(v * scale) / scale;
    }
}
