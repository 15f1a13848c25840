using System.CommandLine;
using Grpc.Core;

namespace Retrieval.Cli.Client;

/// <summary>
/// The options of a command that makes single calls to a server: the address, the key (admin calls need the admin
/// key, in the same x-api-key header), the deadline and the retries on UNAVAILABLE (safe for gallery writes too:
/// upserts and deletes are idempotent).
/// </summary>
public sealed class ServerCall
{
    private readonly Option<string> _server = new("--server") { Description = "Server or load-balancer address, e.g. http://127.0.0.1:8080", Required = true };
    private readonly Option<string?> _apiKey = new("--api-key") { Description = "Key sent in x-api-key (default: $RETRIEVAL_API_KEY); admin calls need the admin key." };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds per call, retries included.", DefaultValueFactory = _ => 60 };
    private readonly Option<int> _attempts = new("--max-attempts") { Description = "Attempts per call on UNAVAILABLE, the first included (1..10; 1 = no retry).", DefaultValueFactory = _ => 5 };

    /// <summary>Adds the shared options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_server);
        command.Options.Add(_apiKey);
        command.Options.Add(_timeout);
        command.Options.Add(_attempts);
    }

    /// <summary>A client for the parsed address (throws <see cref="ArgumentException"/> naming a bad option).</summary>
    public (V1.Retrieval.RetrievalClient Client, IDisposable Channel) Connect(ParseResult parse)
    {
        var channel = RetrievalChannel.Create(parse.GetValue(_server)!, parse.GetValue(_attempts));
        return (new V1.Retrieval.RetrievalClient(channel), channel);
    }

    /// <summary>The call's headers (the key, when given).</summary>
    public Metadata Headers(ParseResult parse)
    {
        var headers = new Metadata();
        if ((parse.GetValue(_apiKey) ?? Environment.GetEnvironmentVariable("RETRIEVAL_API_KEY")) is { Length: > 0 } key) headers.Add("x-api-key", key);
        return headers;
    }

    /// <summary>
    /// Sets <paramref name="command"/>'s action to <paramref name="call"/> (exit 0 when it returns); a refused call, a bad
    /// option or file is reported by the shared policy (Retrieval.CommandLine: one line on standard error, exit 1).
    /// </summary>
    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task> call) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            await call(parse, cancellationToken);
            return 0;
        });

    /// <summary>The call's deadline.</summary>
    public DateTime Deadline(ParseResult parse)
    {
        var seconds = parse.GetValue(_timeout);
        if (!(seconds > 0) || double.IsInfinity(seconds)) throw new ArgumentException($"--timeout {seconds}: expected a positive number of seconds");
        return DateTime.UtcNow.AddSeconds(seconds);
    }
}
