using System.CommandLine;
using Google.Protobuf;
using Retrieval.Cli.Client;
using Retrieval.V1;

namespace Retrieval.Cli.Commands;

/// <summary>`retrieval info`: a server's GetInfo (model, index size and settings, and how far it follows a shared gallery) as JSON.</summary>
public static class InfoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var call = new ServerCall();
        var command = new Command("info", "Print a server's GetInfo as JSON: model, index size and settings, replication sequence and lag.");
        call.AddTo(command);
        ServerCall.SetAction(command, async (parse, cancellationToken) =>
        {
            var (client, channel) = call.Connect(parse);
            using (channel)
            {
                var reply = await client.GetInfoAsync(new GetInfoRequest(), call.Headers(parse), call.Deadline(parse), cancellationToken);
                Console.WriteLine(new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true)).Format(reply));
            }
        });
        return command;
    }
}
