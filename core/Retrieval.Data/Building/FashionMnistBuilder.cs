using Retrieval.Core.Imaging;
using Retrieval.Core.Data;

namespace Retrieval.Data.Building;

/// <summary>
/// Builds Fashion-MNIST in In-Shop layout: training and t10k images pooled (t10k indices offset by the training
/// count), at most <c>perClass</c> images per class in file order; classes 0–4 train, 5–9 test, where within a test
/// class even-numbered images are queries and odd-numbered ones gallery. Images are 28x28 RGB PNGs (grey replicated).
/// </summary>
public static class FashionMnistBuilder
{
    public static readonly string[] ClassNames =
        ["tshirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"];

    /// <summary>Finds "name" or "name.gz" under <paramref name="sourceDir"/> (searched recursively).</summary>
    public static string FindIdx(string sourceDir, string name) =>
        Directory.EnumerateFiles(sourceDir, name + "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) == name || Path.GetFileName(p) == name + ".gz")
            .Order(StringComparer.Ordinal).FirstOrDefault()
        ?? throw new FileNotFoundException($"{name}(.gz) not found under {sourceDir} (run scripts/fetch-data.sh fashion-mnist)");

    public static RetrievalDataset Build(string sourceDir, string outDir, int perClass, Action<int, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perClass);
        var parts = new[] { "train", "t10k" }.Select(prefix =>
        {
            var images = IdxFile.ReadImages(FindIdx(sourceDir, $"{prefix}-images-idx3-ubyte"));
            byte[] labels = IdxFile.ReadLabels(FindIdx(sourceDir, $"{prefix}-labels-idx1-ubyte"));
            if (labels.Length != images.Count)
                throw new InvalidDataException($"{prefix}: {images.Count} images but {labels.Length} labels");
            return (images, labels);
        }).ToList();

        var taken = new int[10];
        int total = Math.Min(perClass * 10, parts.Sum(p => p.labels.Length)), done = 0, offset = 0;
        using var staging = new InShopStaging(outDir, ProjectDatasets.Marker(ProjectDatasets.FashionMnist));
        foreach (var ((count, rows, cols, pixels), labels) in parts)
        {
            for (int i = 0; i < count; i++)
            {
                int c = labels[i];
                if (c > 9)
                    throw new InvalidDataException($"label {c} at index {i} is outside 0..9");
                if (taken[c] >= perClass)
                    continue;
                int k = taken[c]++;
                var split = c <= 4 ? DatasetSplit.Train : k % 2 == 0 ? DatasetSplit.Query : DatasetSplit.Gallery;
                string label = $"{c}_{ClassNames[c]}";
                staging.Add($"img/{label}/{offset + i:D5}.png", label, split, Grey(pixels.AsSpan(i * rows * cols, rows * cols), cols, rows));
                progress?.Invoke(++done, total);
            }
            offset += count;
        }
        return staging.Commit(ds => $"""
            # fashion-mnist — Fashion-MNIST in DeepFashion In-Shop layout

            Built by `make data DATASET=fashion-mnist` (`retrieval-data fashion-mnist --per-class {perClass}`) from Debian's
            `dataset-fashion-mnist` package.

            {SplitSummary.Markdown(ds)}
            - Training and test IDX files pooled (test indices offset by 60000 in the file names); at most {perClass} images
              per class, in file order.
            - Classes 0–4 train; classes 5–9 test, where the even-numbered images of each test class are queries and
              the odd-numbered ones gallery.
            - 28x28 greyscale stored as RGB PNG (grey replicated); the model's preprocessing resizes.

            Licence: Fashion-MNIST, Copyright (c) 2017 Zalando SE, MIT licence.

            """);
    }

    private static RgbImage Grey(ReadOnlySpan<byte> grey, int width, int height)
    {
        var image = new RgbImage(width, height);
        for (int p = 0; p < grey.Length; p++)
            image.Pixels[3 * p] = image.Pixels[3 * p + 1] = image.Pixels[3 * p + 2] = grey[p];
        return image;
    }
}
