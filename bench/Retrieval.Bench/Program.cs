using System.CommandLine;
using Retrieval.Bench;

var root = new RootCommand("retrieval-bench: benchmarks of RetrievalSystem; each prints a table and writes JSON.");
root.Subcommands.Add(LossesCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(IndexCommand.Create());
root.Subcommands.Add(TrainSpeedCommand.Create());
root.Subcommands.Add(AbuseCommand.Create());
return await root.Parse(args).InvokeAsync();
