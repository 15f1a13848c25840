using System.CommandLine;
using Retrieval.Cli.Commands;

var root = new RootCommand("retrieval: data set-up, gRPC client and offline evaluation");
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(LoadTestCommand.Create());
return root.Parse(args).Invoke();
