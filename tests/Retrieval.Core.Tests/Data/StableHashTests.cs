using Retrieval.Core.Data;

namespace Retrieval.Core.Tests.Data;

public sealed class StableHashTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64_matches_the_published_test_vectors(string text, ulong hash) => Assert.Equal(hash, StableHash.Fnv1a64(text));
}
