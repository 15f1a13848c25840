using System.CommandLine;
using Retrieval.Bench;
using Retrieval.CommandLine;

var root = new RootCommand("retrieval-bench: benchmarks of RetrievalSystem; each prints a table and writes JSON.");
root.Subcommands.Add(LossesCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(IndexCommand.Create());
root.Subcommands.Add(IndexLoadCommand.Create());
root.Subcommands.Add(GalleryCommand.Create());
root.Subcommands.Add(CrashCommand.Create());
root.Subcommands.Add(Retrieval.Bench.Gallery.LegacyGalleryWorker.Create());
root.Subcommands.Add(TrainSpeedCommand.Create());
root.Subcommands.Add(AbuseCommand.Create());
root.Subcommands.Add(ReplicasCommand.Create());
return await CommandLineApp.RunAsync(root, args);
