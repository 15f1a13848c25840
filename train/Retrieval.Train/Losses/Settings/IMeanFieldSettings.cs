namespace Retrieval.Train.Losses;

/// <summary>Settings of a mean-field loss (MFCont, MFCWMS): the weight of the mean-field regulariser.</summary>
public interface IMeanFieldSettings
{
    /// <summary>lambda_mf, the weight of the regulariser that pushes mean fields apart (dimensionless; 0 skips its C x C work).</summary>
    double MeanFieldWeight { get; }
}
