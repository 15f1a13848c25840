using System.Text;

namespace Retrieval.Core.Data;

/// <summary>FNV-1a 64-bit over UTF-8: the same value on every machine and run (unlike string.GetHashCode).</summary>
public static class StableHash
{
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
