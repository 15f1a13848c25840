using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

public sealed class PostgresTargetTests
{
    [Theory]
    [InlineData("local", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("postgres://u@h/db", true)]
    [InlineData("postgresql://u@h/db", true)]
    [InlineData("Host=h;Database=db", true)]
    public void Tells_a_database_from_the_embedded_store(string? value, bool expected) =>
        Assert.Equal(expected, PostgresTarget.IsPostgres(value));

    [Fact]
    public void A_url_becomes_a_connection_string_with_the_server_defaults()
    {
        var target = PostgresTarget.Parse("postgres://gallery:s3cr%40t@db.example:6543/shop?sslmode=require&search_path=eu");
        var b = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("db.example", 6543, "shop", "gallery", "s3cr@t"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.Equal((Npgsql.SslMode.Require, "eu"), (b.SslMode, b.SearchPath));
        Assert.Equal((5, 10, true, "retrieval-server"), (b.Timeout, b.KeepAlive, b.TcpKeepAlive, b.ApplicationName));
    }

    [Fact]
    public void Settings_the_user_gave_are_kept()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTarget.Parse("Host=h;Database=d;Timeout=30;Keepalive=3;Application Name=mine").ConnectionString);
        Assert.Equal((30, 3, "mine"), (b.Timeout, b.KeepAlive, b.ApplicationName));
        Assert.Equal(60, new Npgsql.NpgsqlConnectionStringBuilder(PostgresTarget.Parse("postgres://u@h/d?connect_timeout=60").ConnectionString).Timeout);
    }

    [Theory]
    [InlineData("postgres://u:hunter2@h/db?bogus=1", "bogus")]
    [InlineData("postgres://u:hunter2@h/", "no database")]
    [InlineData("postgres://u:hunter2@[::1/db", "not of the form")]
    [InlineData("Host=h;Password=hunter2;Database", "malformed")]
    public void Bad_values_are_refused_without_repeating_the_password(string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => PostgresTarget.Parse(value));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Fact]
    public void Its_description_never_holds_the_password()
    {
        var target = PostgresTarget.Parse("postgres://gallery:hunter2@127.0.0.1:5433/shop");
        Assert.Equal("postgres://gallery@127.0.0.1:5433/shop", target.ToString());
        Assert.Equal("postgres://gallery@::1:5432/shop", PostgresTarget.Parse("postgres://gallery:hunter2@[::1]/shop").ToString());
    }
}
