using System.CommandLine;
using Retrieval.Bench;

var root = new RootCommand("retrieval-bench: RetrievalSystem benchmarks, each measured against a reference in the same run.");
root.Subcommands.Add(LossesCommand.Create());
return root.Parse(args).Invoke();
