namespace Retrieval.Study;

/// <summary>The parts of a study, each runnable on its own (<c>make study PART=...</c>).</summary>
public enum StudyPart
{
    /// <summary>Frozen features, 10 losses, cross-validated search, repeated fold models (MLRC).</summary>
    Modern,

    /// <summary>One-factor sweeps (validation only) around the mean-field losses' chosen settings: why they win or lose.</summary>
    Diagnose,

    /// <summary>Full fine-tuning with the paper's defaults, several seeds, learning curves.</summary>
    Traditional,

    /// <summary>Embedding-dimension sweep on frozen features.</summary>
    Dims,

    /// <summary>docs/study.md and its plots from whatever parts have finished.</summary>
    Report,
}
