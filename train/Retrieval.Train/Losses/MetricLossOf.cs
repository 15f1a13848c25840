namespace Retrieval.Train.Losses;

/// <summary>A <see cref="MetricLoss"/> with its typed settings record (validated on construction; null takes the paper's defaults).</summary>
public abstract class MetricLoss<TSettings> : MetricLoss where TSettings : LossSettings, new()
{
    protected MetricLoss(string name, int numClasses, TSettings? settings) : base(name, numClasses, settings ??= new TSettings()) =>
        Settings = settings;

    /// <summary>The loss's hyper-parameters.</summary>
    public TSettings Settings { get; }
}
