namespace Retrieval.Core.Tests.Data;

/// <summary>Base for tests that write fixtures into a fresh <see cref="TempTree"/>, deleted after each test.</summary>
public abstract class TempTreeTest : IDisposable
{
    internal TempTree Tree { get; } = new();

    public void Dispose()
    {
        Tree.Dispose();
        GC.SuppressFinalize(this);
    }
}
