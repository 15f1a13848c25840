namespace Retrieval.Study.Results;

/// <summary>One-factor sweeps around each mean-field loss's chosen setting, scored on validation only.</summary>
public sealed record DiagnosisResult(string Dataset, string Extractor, IReadOnlyList<DiagnosisRow> Rows);

/// <summary>One variant: which factor was changed to what, and its cross-validation score (the chosen setting is marked).</summary>
public sealed record DiagnosisRow(string Loss, string Factor, string Value, bool IsChosen, TrialScore Score);
