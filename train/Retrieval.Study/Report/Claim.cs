namespace Retrieval.Study.Report;

/// <summary>One row of the claims table: the paper's claim, what we measured (with its interval) and the verdict here.</summary>
public sealed record Claim(string Statement, string Measurement, string Verdict);
