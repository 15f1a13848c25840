using Retrieval.Study.Search;

namespace Retrieval.Study.Results;

/// <summary>
/// One loss under the modern protocol: every search trial, the chosen one (best mean validation MAP@R; the test split
/// is never looked at), the test scores of the repetitions with it, and for the mean-field losses the same
/// repetitions with the regulariser on.
/// </summary>
public sealed record LossStudy(string Loss, bool HasLossParameters, IReadOnlyList<TrialScore> Trials, Trial Best, IReadOnlyList<RepetitionScore> Repetitions,
    IReadOnlyList<RepetitionScore>? WithRegulariser);
