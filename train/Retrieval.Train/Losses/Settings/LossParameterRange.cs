namespace Retrieval.Train.Losses;

/// <summary>The values a loss hyper-parameter accepts.</summary>
public enum LossParameterRange
{
    /// <summary>Any finite number.</summary>
    Finite,

    /// <summary>A finite number &gt;= 0.</summary>
    NonNegative,

    /// <summary>A finite number &gt; 0.</summary>
    Positive,
}
