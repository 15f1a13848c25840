using System.CommandLine;
using Retrieval.Bench;

var root = new RootCommand("RetrievalSystem benchmarks: each subcommand prints a table and writes JSON.");
root.Subcommands.Add(LossesCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
return root.Parse(args).Invoke();
