using Npgsql;

namespace Retrieval.Serve.Replication;

/// <summary>
/// Where the shared gallery lives: a <c>postgres://user:password@host:port/database?sslmode=...</c> URL or an Npgsql
/// key=value connection string, with this server's defaults for what it leaves out (connect timeout 5 s, keep-alive,
/// application name; the password from $PGPASSWORD). <see cref="ToString"/> and every message name the database without the password.
/// </summary>
public sealed class PostgresTarget
{
    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["search_path"] = "Search Path",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    private readonly NpgsqlConnectionStringBuilder _builder;

    private PostgresTarget(NpgsqlConnectionStringBuilder builder) => _builder = builder;

    /// <summary>The connection string (holds the password: never log it).</summary>
    public string ConnectionString => _builder.ConnectionString;

    /// <summary>Whether <paramref name="value"/> names a PostgreSQL store (a postgres:// URL or a connection string) rather than the embedded one.</summary>
    public static bool IsPostgres(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || value.Contains('='));

    /// <summary>The store a server setting names: null for the embedded store (unset or "local"), else the database.</summary>
    public static PostgresTarget? FromSetting(string? store)
    {
        if (string.IsNullOrWhiteSpace(store) || store.Trim() == "local") return null;
        if (!IsPostgres(store)) throw new ArgumentException("expected 'local' or a PostgreSQL URL (postgres://user:password@host:port/database) or connection string.");
        return Parse(store);
    }

    /// <summary>Reads a URL or connection string; a malformed one is an <see cref="ArgumentException"/> that does not repeat the password.</summary>
    public static PostgresTarget Parse(string value)
    {
        var builder = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value) : FromKeyValues(value);
        if (string.IsNullOrEmpty(builder.Host)) throw new ArgumentException("the PostgreSQL store names no host.");
        if (string.IsNullOrEmpty(builder.Database)) throw new ArgumentException($"the PostgreSQL store {Describe(builder)} names no database.");
        // As libpq does: a password left out of the URL comes from $PGPASSWORD (keeps it off command lines and out of URLs).
        if (string.IsNullOrEmpty(builder.Password) && Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } password) builder.Password = password;
        if (!builder.ContainsKey("Timeout") || builder.Timeout == 15) builder.Timeout = 5;
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "retrieval-server";
        if (builder.KeepAlive == 0) builder.KeepAlive = 10;
        builder.TcpKeepAlive = true;
        return new PostgresTarget(builder);
    }

    /// <summary><c>postgres://user@host:port/database</c>: what logs and errors show.</summary>
    public override string ToString() => Describe(_builder);

    private static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"postgres://{(string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@")}{b.Host}:{b.Port}/{b.Database}";

    private static NpgsqlConnectionStringBuilder FromUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
            throw new ArgumentException("the store URL is not of the form postgres://user:password@host:port/database.");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']'), Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        builder.Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            if (!UrlParameters.TryGetValue(key, out var setting))
                throw new ArgumentException($"the store URL for {Describe(builder)} has the unknown parameter '{key}' (known: {string.Join(", ", UrlParameters.Keys)}).");
            builder[setting] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromKeyValues(string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("the store connection string is malformed (expected key=value pairs such as Host=...;Database=...).");
        }
    }
}
