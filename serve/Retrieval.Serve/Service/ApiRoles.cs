using System.Collections.Frozen;

namespace Retrieval.Serve.Service;

/// <summary>
/// Which retrieval.v1 calls only read (Search, SearchStream, Embed, SearchByVector, GetInfo, EvaluateQueries). Every other
/// method of the service is an admin call — so a method added later is admin until it is listed here (fail closed).
/// </summary>
public static class ApiRoles
{
    /// <summary>Read calls by method name.</summary>
    public static readonly FrozenSet<string> ReadMethods =
        FrozenSet.ToFrozenSet(["Search", "SearchStream", "Embed", "SearchByVector", "GetInfo", "EvaluateQueries"]);

    /// <summary>True for an admin call, given the full method ("/retrieval.v1.Retrieval/UpsertItems") or its name.</summary>
    public static bool IsAdmin(string method) => !ReadMethods.Contains(method[(method.LastIndexOf('/') + 1)..]);
}
