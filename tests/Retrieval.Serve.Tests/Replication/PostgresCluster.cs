using System.Diagnostics;
using Npgsql;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

/// <summary>
/// A throw-away PostgreSQL cluster for the tests of one collection, run by scripts/pg-cluster.sh (the same script the
/// replica test and benchmark use: Debian's PostgreSQL, installed when missing, on 127.0.0.1 and a free port). Each
/// test takes a fresh database; <see cref="Stop"/> / <see cref="Start"/> make outages.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private static readonly string Script = Path.Combine(FindRoot(), "scripts", "pg-cluster.sh");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"retrieval-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private int _databases;

    /// <summary>Creates and starts the cluster.</summary>
    public PostgresCluster() => Url = Run("start").Trim();

    /// <summary>postgres://retrieval:password@127.0.0.1:port/retrieval.</summary>
    public string Url { get; }

    /// <summary>A new, empty database in the cluster.</summary>
    public PostgresTarget CreateDatabase()
    {
        string name = $"test{Interlocked.Increment(ref _databases)}";
        Run("psql", "-qc", $"CREATE DATABASE {name}");
        return PostgresTarget.Parse(Url[..Url.LastIndexOf('/')] + "/" + name);
    }

    /// <summary>Runs one SQL statement on a database and returns its first value.</summary>
    public static async Task<object?> ScalarAsync(PostgresTarget target, string sql)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Stops the server (fast shutdown: clients are disconnected).</summary>
    public void Stop() => Run("stop");

    /// <summary>Starts it again on the same port.</summary>
    public void Start() => Run("start");

    /// <inheritdoc />
    public void Dispose() => Run("destroy");

    private string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(arguments[0]);
        start.ArgumentList.Add(_directory);
        foreach (var a in arguments.Skip(1)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0) throw new InvalidOperationException($"pg-cluster.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RetrievalSystem.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no RetrievalSystem.sln above {AppContext.BaseDirectory}");
    }
}
