namespace Retrieval.Bench;

/// <summary>
/// What building and saving one library's index cost: wall seconds, CPU seconds of the build (all threads; robust when
/// the machine is shared), save seconds and the file's size in bytes.
/// </summary>
public sealed record IndexBuildStats(double BuildSeconds, double BuildCpuSeconds, double SaveSeconds, long FileBytes);
