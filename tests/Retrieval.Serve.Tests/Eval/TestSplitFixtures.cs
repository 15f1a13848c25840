using SkiaSharp;

namespace Retrieval.Serve.Tests.Eval;

/// <summary>
/// CUB-200-2011 and Stanford Online Products in miniature, each in its release format inside its release folder
/// (CUB_200_2011/, Stanford_Online_Products/) under a parent folder: training classes and test classes whose images
/// share a per-class block pattern (<see cref="InShopEvalFixture.WriteJpeg"/>). Returns the parent folder.
/// </summary>
internal static class TestSplitFixtures
{
    public const int TrainClasses = 6, TestClasses = 5, ImagesPerClass = 4;

    public static string Write(string format, string parent) => format switch
    {
        "cub" => WriteCub(parent),
        "sop" => WriteSop(parent),
        _ => throw new ArgumentException(format),
    };

    private static string WriteCub(string parent)
    {
        string baseDir = Path.Combine(parent, "CUB_200_2011");
        var images = new List<string>();
        var labels = new List<string>();
        // Classes 1..100 train, 101..200 test in the metric-learning split.
        foreach (var (cls, i, random) in Images(Enumerable.Range(1, TrainClasses).Concat(Enumerable.Range(101, TestClasses))))
        {
            string rel = $"{cls:D3}.Bird_{cls}/Bird_{cls}_{i:D4}.jpg";
            InShopEvalFixture.WriteJpeg(Path.Combine(baseDir, "images", rel), Pattern(cls), random);
            int id = images.Count + 1;
            images.Add($"{id} {rel}");
            labels.Add($"{id} {cls}");
        }
        Directory.CreateDirectory(baseDir);
        File.WriteAllText(Path.Combine(baseDir, "images.txt"), string.Join("\r\n", images) + "\r\n");   // CRLF, as some copies have
        File.WriteAllText(Path.Combine(baseDir, "image_class_labels.txt"), string.Join("\n", labels) + "\n");
        File.WriteAllText(Path.Combine(baseDir, "train_test_split.txt"), string.Join("\n", images.Select((_, i) => $"{i + 1} {i % 2}")) + "\n");
        return parent;
    }

    private static string WriteSop(string parent)
    {
        string baseDir = Path.Combine(parent, "Stanford_Online_Products");
        var train = new List<string> { "image_id class_id super_class_id path" };
        var test = new List<string> { "image_id class_id super_class_id path" };
        foreach (var (cls, i, random) in Images(Enumerable.Range(1, TrainClasses).Concat(Enumerable.Range(11319, TestClasses))))
        {
            string rel = $"bicycle_final/{cls}_{i}.JPG";
            InShopEvalFixture.WriteJpeg(Path.Combine(baseDir, rel), Pattern(cls), random);
            var list = cls < 11319 ? train : test;
            list.Add($"{list.Count} {cls} 1 {rel}");   // image_id restarts per file, as in the release
        }
        File.WriteAllText(Path.Combine(baseDir, "Ebay_train.txt"), string.Join("\n", train) + "\n");
        File.WriteAllText(Path.Combine(baseDir, "Ebay_test.txt"), string.Join("\n", test) + "\n");
        return parent;
    }

    private static IEnumerable<(int Class, int Image, Random Random)> Images(IEnumerable<int> classes)
    {
        var random = new Random(23);
        foreach (int cls in classes)
            for (int i = 0; i < ImagesPerClass; i++)
                yield return (cls, i, random);
    }

    private static SKColor[] Pattern(int cls)
    {
        var random = new Random(cls);
        return Enumerable.Range(0, 30).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
    }
}
