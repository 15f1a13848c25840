namespace Retrieval.Serve.Tests.Replication;

/// <summary>Tests that share one PostgreSQL cluster (and run one after another: some stop and start it).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "PostgreSQL";
}
