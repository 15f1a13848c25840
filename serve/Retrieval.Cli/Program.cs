using System.CommandLine;
using Retrieval.Cli.Commands;

var root = new RootCommand("retrieval: data set-up, query client and offline evaluation for RetrievalSystem");
root.Subcommands.Add(DataCommand.Create());
return root.Parse(args).Invoke();
