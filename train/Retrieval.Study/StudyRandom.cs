namespace Retrieval.Study;

/// <summary>
/// Model and loss initialisation draws from libtorch's one global generator; runs on parallel workers seed it and
/// build their modules under this lock, so each run's initial weights depend only on its own seed. Nothing else in a
/// run draws from that generator (batch plans use their own seeded System.Random).
/// </summary>
public static class StudyRandom
{
    public static readonly object InitLock = new();
}
