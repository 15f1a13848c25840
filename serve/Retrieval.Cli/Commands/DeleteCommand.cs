using System.CommandLine;
using Retrieval.Cli.Client;
using Retrieval.V1;

namespace Retrieval.Cli.Commands;

/// <summary>`retrieval delete`: removes gallery items by id (an admin call).</summary>
public static class DeleteCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var ids = new Argument<long[]>("ids") { Description = "Item ids to delete.", Arity = ArgumentArity.OneOrMore };
        var call = new ServerCall();
        var command = new Command("delete", "Delete gallery items by id (an admin call).") { ids };
        call.AddTo(command);
        ServerCall.SetAction(command, async (parse, cancellationToken) =>
        {
            var (client, channel) = call.Connect(parse);
            using (channel)
            {
                var request = new DeleteItemsRequest();
                request.ItemIds.AddRange(parse.GetValue(ids)!);
                var reply = await client.DeleteItemsAsync(request, call.Headers(parse), call.Deadline(parse), cancellationToken);
                Console.WriteLine($"deleted {reply.Deleted}, not found {reply.NotFound}; index size {reply.IndexSize}");
            }
        });
        return command;
    }
}
