using System.CommandLine;
using Retrieval.Cli.Commands;
using Retrieval.CommandLine;

var root = new RootCommand("retrieval: query client and offline evaluation for RetrievalSystem.");
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(LoadTestCommand.Create());
root.Subcommands.Add(UpsertCommand.Create());
root.Subcommands.Add(DeleteCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
return await CommandLineApp.RunAsync(root, args);
