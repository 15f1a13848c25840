namespace Retrieval.Train.Training;

/// <summary>Receives the trainer's progress: steps (loss, images/s, ETA) and one-line messages.</summary>
public interface ITrainingProgress
{
    /// <summary>A new epoch of <paramref name="steps"/> optimisation steps begins.</summary>
    void StartEpoch(int epoch, int epochs, int steps);

    /// <summary>Step <paramref name="step"/> (1-based) of the current epoch finished.</summary>
    void Step(int step, double meanLoss, double imagesPerSecond, TimeSpan eta);

    /// <summary>A line for the log (epoch summaries, evaluation results, files written).</summary>
    void Message(string line);
}
