using System.CommandLine;
using Google.Protobuf;
using Retrieval.Cli.Client;
using Retrieval.V1;

namespace Retrieval.Cli.Commands;

/// <summary>
/// `retrieval upsert`: adds or replaces gallery items listed in a file (id, label, image path relative to --data), one
/// UpsertItems call per batch. Through a load balancer with several replicas sharing a gallery (--store postgres://)
/// each call reaches one replica and every replica follows it.
/// </summary>
public static class UpsertCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var list = new Option<FileInfo>("--list") { Description = "Items, one per line: id<TAB>label<TAB>image path (relative to --data); '#' starts a comment.", Required = true };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder the image paths are relative to (default: the list's folder)." };
        var batch = new Option<int>("--batch") { Description = "Items per UpsertItems call.", DefaultValueFactory = _ => 64 };
        var call = new ServerCall();
        var command = new Command("upsert", "Add or replace gallery items (an admin call) from a list of id, label, image path.") { list, data, batch };
        call.AddTo(command);
        ServerCall.SetAction(command, async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(list)!;
            var root = parse.GetValue(data)?.FullName ?? file.DirectoryName!;
            int size = parse.GetValue(batch);
            if (size < 1) throw new ArgumentException($"--batch {size}: expected at least 1");
            var items = ReadList(file.FullName);
            var (client, channel) = call.Connect(parse);
            using (channel)
            {
                long indexSize = 0;
                int upserted = 0;
                foreach (var slice in items.Chunk(size))
                {
                    using var upsert = client.UpsertItems(call.Headers(parse), call.Deadline(parse), cancellationToken);
                    foreach (var (id, label, path) in slice)
                    {
                        var bytes = await File.ReadAllBytesAsync(Path.Combine(root, path), cancellationToken);
                        await upsert.RequestStream.WriteAsync(new UpsertItemRequest { ItemId = id, Label = label, ImagePath = path, Image = ByteString.CopyFrom(bytes) }, cancellationToken);
                    }
                    await upsert.RequestStream.CompleteAsync();
                    var reply = await upsert;
                    upserted += reply.Upserted;
                    indexSize = reply.IndexSize;
                }
                Console.WriteLine($"upserted {upserted} items; index size {indexSize}");
            }
        });
        return command;
    }

    private static List<(long Id, string Label, string Path)> ReadList(string path)
    {
        var items = new List<(long, string, string)>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var fields = text.Split('\t');
            if (fields.Length != 3 || !long.TryParse(fields[0], out long id))
                throw new FormatException($"{path}:{line}: expected id<TAB>label<TAB>image path");
            items.Add((id, fields[1], fields[2]));
        }
        return items;
    }
}
