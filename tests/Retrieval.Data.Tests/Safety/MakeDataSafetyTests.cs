using System.Text.RegularExpressions;

namespace Retrieval.Data.Tests.Safety;

/// <summary>
/// The data rules as a user meets them through make (issue 11 item 1): `make train` on a user's In-Shop release trains
/// on it and leaves it byte for byte as it was; a missing DATA_DIR that is not the project's own is a one-line error;
/// run directories retrieval-train did not make are never deleted.
/// </summary>
public sealed partial class MakeDataSafetyTests : TempTreeTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void Make_train_trains_on_a_users_in_shop_release_and_leaves_it_and_foreign_run_folders_untouched()
    {
        string data = Path.Combine(Tree.Root, "In-shop");
        var (train, query, gallery) = ForeignInShop.Write(data, trainItems: 8, testItems: 4);
        string before = ForeignInShop.Fingerprint(data);
        string run = Path.Combine(Tree.Root, "runs", "safety");
        const string tiny = "TRAIN_ARGS=--backbone resnet-small --epochs 1 --image-size 16 --eval-resize 16 --embedding-size 8 --classes-per-batch 2 --images-per-class 2 --threads 1";

        // A RUN_DIR retrieval-train did not make is neither replaced nor written into.
        Tree.Write("mine/notes.txt", "\n", "keep me");
        var (refused, refusal) = MakeRunner.Run(Timeout, "train", $"DATA_DIR={data}", $"RUN_DIR={Path.Combine(Tree.Root, "mine")}", tiny);
        Assert.NotEqual(0, refused);
        Assert.Contains("refusing to replace", refusal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(Path.Combine(Tree.Root, "mine")).Select(Path.GetFileName));

        var (code, output) = MakeRunner.Run(Timeout, "train", $"DATA_DIR={data}", $"RUN_DIR={run}", tiny);

        Assert.True(code == 0, output);
        Assert.Equal(before, ForeignInShop.Fingerprint(data));
        var counts = DataLine().Match(output);
        Assert.True(counts.Success, output);
        int Count(string name) => int.Parse(counts.Groups[name].Value);
        Assert.Equal(train, Count("train") + Count("validation"));
        Assert.Equal((query, gallery), (Count("queries"), Count("gallery")));
        Assert.True(File.Exists(Path.Combine(run, "model.onnx")), output);
        Assert.False(Directory.Exists(Path.Combine(MakeRunner.RepositoryRoot, "data", "In-shop")));
    }

    [Fact]
    public void A_missing_data_dir_that_is_not_the_projects_own_is_a_one_line_error_naming_it()
    {
        string missing = Path.Combine(Tree.Root, "no-such-data");
        var (code, output) = MakeRunner.Run(Timeout, "data-ready", $"DATA_DIR={missing}");
        Assert.NotEqual(0, code);
        var errors = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(errors, l => l.Contains(missing) && l.StartsWith("retrieval-data check: error:", StringComparison.Ordinal));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Make_data_refuses_to_write_into_a_users_data_set()
    {
        string data = Path.Combine(Tree.Root, "In-shop");
        ForeignInShop.Write(data, trainItems: 2, testItems: 1);
        string before = ForeignInShop.Fingerprint(data);
        var (code, output) = MakeRunner.Run(Timeout, "data", $"DATA_DIR={data}");
        Assert.NotEqual(0, code);
        Assert.Contains("did not build", output);
        Assert.Equal(before, ForeignInShop.Fingerprint(data));
    }

    [Fact]
    public void Only_run_directories_with_retrieval_trains_marker_are_replaced()
    {
        string script = Path.Combine(MakeRunner.RepositoryRoot, "scripts", "replace-run-dir.sh");
        Tree.Write("mine/notes.txt", "\n", "keep me");
        Tree.Write("run/.retrieval-run", "\n", "retrieval-train run directory");
        Tree.Write("run/model.onnx", "\n", "old");

        Assert.Equal(2, Bash(script, Path.Combine(Tree.Root, "mine")));
        Assert.True(File.Exists(Path.Combine(Tree.Root, "mine", "notes.txt")));
        Assert.Equal(0, Bash(script, Path.Combine(Tree.Root, "run")));
        Assert.False(Directory.Exists(Path.Combine(Tree.Root, "run")));
        Assert.Equal(0, Bash(script, Path.Combine(Tree.Root, "absent")));
    }

    private static int Bash(string script, string argument)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash") { ArgumentList = { script, argument }, RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    [GeneratedRegex(@"data: (?<train>\d+) training images / \d+ classes, (?<validation>\d+) validation images, (?<queries>\d+) test queries, (?<gallery>\d+) gallery images")]
    private static partial Regex DataLine();
}
