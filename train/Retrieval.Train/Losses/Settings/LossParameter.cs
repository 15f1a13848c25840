using System.Globalization;

namespace Retrieval.Train.Losses;

/// <summary>
/// One number of a <see cref="LossSettings"/> record as the command line sees it: its key (<c>--loss-param key=value</c>),
/// what it means (with its unit), the values it accepts, and how to read it from and write it into the record.
/// </summary>
public sealed class LossParameter
{
    private readonly Func<LossSettings, double> _get;
    private readonly Func<LossSettings, double, LossSettings> _set;

    private LossParameter(string key, string meaning, LossParameterRange range, Func<LossSettings, double> get, Func<LossSettings, double, LossSettings> set)
    {
        (Key, Meaning, Range, _get, _set) = (key, meaning, range, get, set);
    }

    /// <summary>A parameter of settings type <typeparamref name="T"/> (or of every type derived from it).</summary>
    public static LossParameter Of<T>(string key, string meaning, LossParameterRange range, Func<T, double> get, Func<T, double, T> set)
        where T : LossSettings =>
        new(key, meaning, range, s => get((T)s), (s, v) => set((T)s, v));

    /// <summary>"mf-weight", the <see cref="IMeanFieldSettings.MeanFieldWeight"/> of a mean-field loss (declared once for both).</summary>
    public static LossParameter MeanFieldWeight<T>(Func<T, double, T> set) where T : LossSettings, IMeanFieldSettings =>
        Of("mf-weight", "lambda_mf, mean-field regulariser weight (dimensionless)", LossParameterRange.NonNegative, s => s.MeanFieldWeight, set);

    /// <summary>The command-line key, e.g. "alpha".</summary>
    public string Key { get; }

    /// <summary>What the number is, with its unit.</summary>
    public string Meaning { get; }

    /// <summary>The values it accepts.</summary>
    public LossParameterRange Range { get; }

    /// <summary>Its value in <paramref name="settings"/>.</summary>
    public double Get(LossSettings settings) => _get(settings);

    /// <summary>A copy of <paramref name="settings"/> with this parameter set to <paramref name="value"/>.</summary>
    public LossSettings Set(LossSettings settings, double value) => _set(settings, value);

    /// <summary>Throws <see cref="ArgumentException"/> naming the key when its value in <paramref name="settings"/> is out of range.</summary>
    public void Check(LossSettings settings)
    {
        var value = Get(settings);
        var (ok, wanted) = Range switch
        {
            LossParameterRange.Positive => (double.IsFinite(value) && value > 0, "a positive number"),
            LossParameterRange.NonNegative => (double.IsFinite(value) && value >= 0, "a finite number >= 0"),
            _ => (double.IsFinite(value), "a finite number"),
        };
        if (!ok)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"loss parameter {Key} ({settings.Name}) must be {wanted}, got {value}"), Key);
    }
}
