using System.CommandLine;
using Retrieval.Bench;

var root = new RootCommand("retrieval-bench: benchmarks of RetrievalSystem; each prints a table and writes JSON.");
root.Subcommands.Add(LoadCommand.Create());
return await root.Parse(args).InvokeAsync();
