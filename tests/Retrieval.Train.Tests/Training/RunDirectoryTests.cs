using Retrieval.Train.Training;

namespace Retrieval.Train.Tests.Training;

/// <summary>The run directory's marker: what `make train` may replace, and folders retrieval-train never writes into.</summary>
public sealed class RunDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("run-dir").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_new_or_empty_folder_becomes_a_marked_run_and_is_reopened()
    {
        var created = new RunDirectory(Path.Combine(_root, "new"));
        Assert.True(File.Exists(Path.Combine(created.Path, RunDirectory.MarkerFile)));
        File.WriteAllText(created.Config, "{}");
        Assert.Equal(created.Path, new RunDirectory(created.Path).Path);

        Directory.CreateDirectory(Path.Combine(_root, "empty"));
        Assert.True(File.Exists(Path.Combine(new RunDirectory(Path.Combine(_root, "empty")).Path, RunDirectory.MarkerFile)));
    }

    [Fact]
    public void A_non_empty_folder_it_did_not_make_is_refused_untouched()
    {
        string mine = Path.Combine(_root, "photos");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "a.jpg"), "not a run");
        var e = Assert.Throws<IOException>(() => new RunDirectory(mine));
        Assert.Contains(mine, e.Message);
        Assert.Equal(["a.jpg"], Directory.GetFileSystemEntries(mine).Select(Path.GetFileName));
    }
}
