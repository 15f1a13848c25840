using System.CommandLine;
using Retrieval.CommandLine;
using Retrieval.Data;
using Retrieval.Data.Commands;

var root = new RootCommand($"retrieval-data: builds the project's data sets ({string.Join(", ", ProjectDatasets.Names)}) in DeepFashion In-Shop " +
                           "layout from sources fetched by scripts/fetch-data.sh, and checks data folders for make.");
foreach (var command in DataCommand.Create())
    root.Subcommands.Add(command);
root.Subcommands.Add(CheckCommand.Create());
return await CommandLineApp.RunAsync(root, args);
