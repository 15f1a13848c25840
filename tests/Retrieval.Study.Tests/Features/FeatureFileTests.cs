using Retrieval.Study.Features;

namespace Retrieval.Study.Tests.Features;

public class FeatureFileTests
{
    private static readonly byte[] Key = FeatureFile.KeyOf(["a", "b"]);

    [Fact]
    public void Round_trip_and_another_key_reads_as_absent()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "f.bin");
        float[] data = [1, 2, 3, 4, 5, 6];
        FeatureFile.Write(path, Key, data, 2, 3);
        var read = FeatureFile.Read(path, Key)!.Value;
        Assert.Equal(data, read.Data);
        Assert.Equal((2, 3), (read.Rows, read.Columns));
        Assert.Null(FeatureFile.Read(path, FeatureFile.KeyOf(["a", "c"])));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(3)]
    public void A_corrupt_or_truncated_file_is_an_error_naming_it(int byteToBreak)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "f.bin");
        FeatureFile.Write(path, Key, [1, 2, 3, 4, 5, 6], 2, 3);
        var bytes = File.ReadAllBytes(path);
        bytes[byteToBreak] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => FeatureFile.Read(path, Key)).Message);
        File.WriteAllBytes(path, bytes[..^5]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => FeatureFile.Read(path, Key)).Message);
    }
}
