using Retrieval.Study.Results;

namespace Retrieval.Study.Parts;

/// <summary>
/// The embedding-dimension sweep on frozen features: each loss keeps the hyper-parameters its modern search chose
/// (the search is run, or reused from the cache, at the modern part's embedding size) and is repeated at every
/// dimension; the score is the separated test MAP@R (one fold model = one embedding of that size).
/// </summary>
public sealed class DimensionPart(StudyContext context)
{
    public DimensionResult Run()
    {
        var o = context.Options;
        var modern = new ModernPart(context);
        var series = new List<DimensionSeries>();
        foreach (var loss in o.DimensionLosses)
        {
            var (best, _, hasParameters) = modern.Search(loss);
            var points = o.Dimensions.Select(d => new DimensionPoint(d, modern.Repeat(loss, best, d, o.DimensionRepetitions, "dims"))).ToList();
            series.Add(new DimensionSeries(loss, best.Describe(hasParameters), points));
            context.Files.Save(context.Files.Dims, new DimensionResult(context.Features.DatasetName, context.Features.Extractor, o.Dimensions, series));
        }
        return new DimensionResult(context.Features.DatasetName, context.Features.Extractor, o.Dimensions, series);
    }
}
