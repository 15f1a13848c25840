using System.CommandLine;
using Retrieval.Cli.Eval;
using Retrieval.CommandLine;
using Spectre.Console;

namespace Retrieval.Cli.Commands;

/// <summary>`retrieval eval`: offline evaluation of an exported model on In-Shop (query vs gallery), CUB or SOP (test split, query = reference), exact and HNSW retrieval.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Exported model (runs/<name>/model.onnx)", Required = true };
        var data = new Option<string>("--data") { Description = "Data set: In-Shop (list_eval_partition.txt + img/), CUB-200-2011 or Stanford Online Products (or their parent folder)", Required = true };
        var output = new Option<string?>("--out") { Description = "Folder for eval.json, eval.md, gallery-embeddings.npy (default: beside the model)" };
        var batch = new Option<int>("--batch") { Description = "Images per ONNX Runtime run", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "Decode, inference and search threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var ef = new Option<int>("--ef") { Description = "HNSW search beam", DefaultValueFactory = _ => 128 };
        var m = new Option<int>("--m") { Description = "HNSW links per node", DefaultValueFactory = _ => 16 };
        var efConstruction = new Option<int>("--ef-construction") { Description = "HNSW build beam", DefaultValueFactory = _ => 200 };
        var command = new Command("eval", "Evaluate a model on the test split (In-Shop query vs gallery; CUB/SOP query = reference): P@1, R-Precision, MAP@R, Recall@K with exact and HNSW search")
        {
            model, data, output, batch, threads, ef, m, efConstruction,
        };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!;
            var settings = new EvalSettings(modelPath, parse.GetValue(data)!,
                parse.GetValue(output) ?? Path.GetDirectoryName(Path.GetFullPath(modelPath))!,
                parse.GetValue(batch), parse.GetValue(threads), parse.GetValue(ef), parse.GetValue(m), parse.GetValue(efConstruction));
            var progress = ConsoleProgress.ForConsole();
            var result = Evaluator.Run(settings, progress.Counter("embedding images"));
            AnsiConsole.Write(Table(result));
            Console.WriteLine($"wrote {Path.Combine(settings.OutDir, EvalFiles.Json)}, {EvalFiles.Markdown}, {EvalFiles.GalleryEmbeddings}");
            return 0;
        });
        return command;
    }

    private static Table Table(EvalResult r)
    {
        var table = new Table().Title(r.QueryIsReference ? $"{r.QueryImages} test images, each against the others"
                : $"{r.QueryImages} queries vs {r.GalleryImages} gallery images")
            .AddColumn("metric").AddColumn(new TableColumn("exact").RightAligned()).AddColumn(new TableColumn("HNSW").RightAligned());
        foreach (var (metric, exact, hnsw) in r.MetricRows())
            table.AddRow(metric, $"{exact:F4}", $"{hnsw:F4}");
        var t = r.Throughput;
        table.AddEmptyRow();
        table.AddRow($"ANN recall@{r.AnnRecallK} (ef={r.Index.Ef})", "", $"{r.AnnRecall:F4}");
        table.AddRow("queries/s", $"{t.ExactQueriesPerSecond:F0}", $"{t.HnswQueriesPerSecond:F0}");
        table.AddRow("images/s embedded", $"{t.ImagesPerSecond:F1}", "");
        return table;
    }
}
