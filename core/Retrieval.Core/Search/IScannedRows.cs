namespace Retrieval.Core.Search;

/// <summary>Which rows of a flat vector buffer a brute-force scan (<see cref="ExactSearch"/>) visits, and the id each row reports.</summary>
internal interface IScannedRows
{
    /// <summary>Rows in the buffer.</summary>
    int Count { get; }

    /// <summary>Whether <paramref name="row"/> may be returned (a filter, a query's own row).</summary>
    bool Includes(int row);

    /// <summary>The id the row is returned under.</summary>
    long Id(int row);
}
