using System.CommandLine;
using Retrieval.Core.Data;
using Retrieval.Core.Data.Building;

namespace Retrieval.Cli.Commands;

/// <summary>`retrieval data emoji|fashion-mnist`: writes a downloaded data set in DeepFashion In-Shop layout.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Write a data set in In-Shop layout from sources fetched by scripts/fetch-data.sh");
        command.Subcommands.Add(Emoji());
        command.Subcommands.Add(FashionMnist());
        return command;
    }

    private static Option<string> CacheOption() => new("--cache")
    {
        Description = "Folder scripts/fetch-data.sh downloaded into",
        Required = true,
    };

    private static Option<string> OutOption() => new("--out")
    {
        Description = "Output folder (replaced atomically)",
        Required = true,
    };

    private static Command Emoji()
    {
        var cache = CacheOption();
        var output = OutOption();
        var command = new Command("emoji", "Cross-designer emoji set: Google, Twitter and EmojiOne drawings of the same emoji") { cache, output };
        command.SetAction(parse => Guard(() =>
        {
            string root = parse.GetValue(cache)!;
            var sources = EmojiSources(root);
            var (dataset, _) = ConsoleProgress.Run("emoji images", report => EmojiDatasetBuilder.Build(sources, parse.GetValue(output)!, report));
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
        var command = new Command("fashion-mnist", "Fashion-MNIST: classes 0-4 train, 5-9 query/gallery") { cache, output, perClass };
        command.SetAction(parse => Guard(() =>
        {
            string source = Path.Combine(parse.GetValue(cache)!, "dataset-fashion-mnist");
            var dataset = ConsoleProgress.Run("fashion-mnist images",
                report => FashionMnistBuilder.Build(source, parse.GetValue(output)!, parse.GetValue(perClass), report));
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

    private static int Guard(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DatasetFormatException or ArgumentException
                                      or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
