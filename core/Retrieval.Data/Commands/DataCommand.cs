using System.CommandLine;
using Retrieval.Core.Data;
using Retrieval.Core.IO;
using Retrieval.Data.Building;

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
        var command = new Command(name, "Cross-designer emoji set: Google, Twitter and EmojiOne drawings of the same emoji") { cache, output };
        command.SetAction(parse => CommandErrors.Guard(() =>
        {
            var sources = EmojiSources(parse.GetValue(cache)!);
            var (dataset, _) = EmojiDatasetBuilder.Build(sources, parse.GetValue(output)!, ProjectDatasets.Marker(name),
                DecileProgress.To(Console.Out, $"{name} images"));
            PrintCounts(dataset);
        }));
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
        command.SetAction(parse => CommandErrors.Guard(() =>
        {
            string source = Path.Combine(parse.GetValue(cache)!, "dataset-fashion-mnist");
            var dataset = FashionMnistBuilder.Build(source, parse.GetValue(output)!, parse.GetValue(perClass),
                DecileProgress.To(Console.Out, "fashion-mnist images"));
            PrintCounts(dataset);
        }));
        return command;
    }

    /// <summary>The three designers' PNG folders inside the fetch cache.</summary>
    private static List<EmojiSource> EmojiSources(string cache)
    {
        string gems = Path.Combine(cache, "ruby-gemojione", "usr", "share", "rubygems-integration", "all", "gems");
        string emojione = Directory.Exists(gems)
            ? Directory.EnumerateDirectories(gems, "gemojione-*").Order(StringComparer.Ordinal).LastOrDefault() ?? gems
            : gems;
        return
        [
            new("google", Path.Combine(cache, "emoji-datasource-google-16.0.0", "img", "google", "64"),
                "Noto Emoji by Google, Apache License 2.0 (via npm emoji-datasource-google 16.0.0)"),
            new("twitter", Path.Combine(cache, "emoji-datasource-twitter-16.0.0", "img", "twitter", "64"),
                "Twemoji by Twitter, Inc. and other contributors, CC-BY 4.0 (via npm emoji-datasource-twitter 16.0.0)"),
            new("emojione", Path.Combine(emojione, "assets", "png"),
                "EmojiOne 3 by Ranks.com Inc., CC-BY-SA 4.0 (via Debian ruby-gemojione)"),
        ];
    }

    private static void PrintCounts(RetrievalDataset dataset)
    {
        Console.WriteLine($"wrote {dataset.ImageRoot}");
        foreach (string line in SplitSummary.Lines(dataset))
            Console.WriteLine(line);
    }
}
