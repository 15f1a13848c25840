namespace Retrieval.Train.Training;

/// <summary>What one training epoch did: its mean loss, the images it trained on and how long it took.</summary>
public sealed record EpochOutcome(double MeanLoss, int Images, double Seconds)
{
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}
