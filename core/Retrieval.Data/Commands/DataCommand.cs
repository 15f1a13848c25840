using System.CommandLine;
using Retrieval.CommandLine;
using Retrieval.Core.Data;
using Retrieval.Data.Building;
using Retrieval.Data.Emoji;

namespace Retrieval.Data.Commands;

/// <summary>`retrieval-data emoji|emoji3|fashion-mnist --cache DIR --out DIR`: writes a fetched data set in DeepFashion In-Shop layout.</summary>
public static class DataCommand
{
    public static IEnumerable<Command> Create() => [Emoji(ProjectDatasets.Emoji), Emoji(ProjectDatasets.Emoji3), FashionMnist()];

    private static Option<string> CacheOption() => new("--cache")
    {
        Description = "Folder scripts/fetch-data.sh downloaded into",
        Required = true,
    };

    private static Option<string> OutOption() => new("--out")
    {
        Description = "Output folder: created, or replaced atomically when make data built it (never a folder it did not build)",
        Required = true,
    };

    private static Command Emoji(string name)
    {
        var cache = CacheOption();
        var output = OutOption();
        string description = name == ProjectDatasets.Emoji
            ? "Every openly licensed emoji design: Google, Twitter, EmojiOne PNGs, OpenMoji colour and line art, Fluent modern, flat and high-contrast SVGs"
            : "The three-design emoji set: Google, Twitter and EmojiOne drawings of the same emoji";
        var command = new Command(name, description) { cache, output };
        command.SetAction(parse =>
        {
            string root = parse.GetValue(cache)!;
            var set = name == ProjectDatasets.Emoji ? EmojiSets.AllDesigns(root) : EmojiSets.ThreeDesigns(root);
            var progress = ConsoleProgress.ForConsole();
            var result = EmojiDatasetBuilder.Build(set, parse.GetValue(output)!, Path.Combine(root, "rendered"), progress.Writer,
                progress.Counter($"{name} designs"));
            PrintCounts(result.Dataset);
            for (int s = 0; s < set.Sources.Count; s++)
            {
                var n = result.Counts[s];
                string join = set.Sources[s].Naming == EmojiNaming.CldrNames ? $", names joined {n.Joined}/{n.JoinedVia.Values.Sum()}" : "";
                Console.WriteLine($"  {set.Sources[s].Name,-22} {n.Written.Values.Sum(),5} images{join}, {n.Failed.Count} failed to render, {n.Indistinct} same image as another class");
            }
        });
        return command;
    }

    private static Command FashionMnist()
    {
        var cache = CacheOption();
        var output = OutOption();
        var perClass = new Option<int>("--per-class")
        {
            Description = "At most this many images per class (7000 = all)",
            DefaultValueFactory = _ => 1000,
        };
        var command = new Command(ProjectDatasets.FashionMnist, "Fashion-MNIST: classes 0-4 train, 5-9 query/gallery") { cache, output, perClass };
        command.SetAction(parse =>
        {
            string source = Path.Combine(parse.GetValue(cache)!, "dataset-fashion-mnist");
            var dataset = FashionMnistBuilder.Build(source, parse.GetValue(output)!, parse.GetValue(perClass),
                ConsoleProgress.ForConsole().Counter("fashion-mnist images"));
            PrintCounts(dataset);
        });
        return command;
    }

    private static void PrintCounts(RetrievalDataset dataset)
    {
        Console.WriteLine($"wrote {dataset.ImageRoot}");
        foreach (string line in SplitSummary.Lines(dataset))
            Console.WriteLine(line);
    }
}
