using Retrieval.Core.IO;
using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.IO;

public sealed class AtomicFileTests : TempTreeTest
{
    [Fact]
    public void Write_replaces_the_file_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(Tree.Root, "sub", "out.bin");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_untouched_and_removes_its_temporary_file()
    {
        var path = Path.Combine(Tree.Root, "keep.txt");
        AtomicFile.WriteAllText(path, "old");

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("disk full", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["keep.txt"], Directory.GetFiles(Tree.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void The_writer_may_seek_back_and_read_what_it_wrote()
    {
        var path = Path.Combine(Tree.Root, "header.bin");
        AtomicFile.Write(path, stream =>
        {
            stream.Write([0, 0, 7, 8]);
            stream.Position = 0;
            stream.Write([5, 6]);
            stream.Position = 2;
            Assert.Equal(7, stream.ReadByte());
        });
        Assert.Equal(new byte[] { 5, 6, 7, 8 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void RemoveOrphans_deletes_only_the_temporary_files_of_that_target()
    {
        var path = Path.Combine(Tree.Root, "gallery.idx");
        File.WriteAllText(path, "live");
        File.WriteAllText(Path.Combine(Tree.Root, ".gallery.idx.123.abc.tmp"), "orphan");
        File.WriteAllText(Path.Combine(Tree.Root, ".other.idx.123.abc.tmp"), "someone else's");
        File.WriteAllText(Path.Combine(Tree.Root, "gallery.idx.tmp"), "not our naming");

        Assert.Equal(1, AtomicFile.RemoveOrphans(path));
        Assert.Equal(
            [".other.idx.123.abc.tmp", "gallery.idx", "gallery.idx.tmp"],
            Directory.GetFiles(Tree.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
