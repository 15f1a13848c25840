using System.CommandLine;
using Grpc.Core;
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
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var (client, channel) = call.Connect(parse);
                using (channel)
                {
                    var request = new DeleteItemsRequest();
                    request.ItemIds.AddRange(parse.GetValue(ids)!);
                    var reply = await client.DeleteItemsAsync(request, call.Headers(parse), call.Deadline(parse), cancellationToken);
                    Console.WriteLine($"deleted {reply.Deleted}, not found {reply.NotFound}; index size {reply.IndexSize}");
                }
                return 0;
            }
            catch (RpcException e)
            {
                Console.Error.WriteLine($"retrieval delete: {e.StatusCode}: {e.Status.Detail}");
                return 1;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"retrieval delete: error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
