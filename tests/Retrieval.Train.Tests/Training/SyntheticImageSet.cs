using Retrieval.Train.Training;
using SkiaSharp;

namespace Retrieval.Train.Tests.Training;

/// <summary>A temporary folder of small PNGs: each class is a coloured disc at a class-specific place, each image a jittered drawing of it.</summary>
public sealed class SyntheticImageSet : IDisposable
{
    public SyntheticImageSet(int trainClasses, int testClasses, int imagesPerClass, int size = 24)
    {
        Root = Directory.CreateTempSubdirectory("retrieval-train-test-").FullName;
        var rng = new Random(12345);
        List<(string, string)> Make(string prefix, int classes)
        {
            var items = new List<(string, string)>();
            for (var c = 0; c < classes; c++)
                for (var i = 0; i < imagesPerClass; i++)
                {
                    Directory.CreateDirectory(Path.Combine(Root, "img", $"{prefix}{c}"));
                    var path = Path.Combine(Root, "img", $"{prefix}{c}", $"{i}.png");
                    Draw(path, size, prefix.Length * 31 + c, rng);
                    items.Add((path, $"{prefix}{c}"));
                }
            return items;
        }
        Train = Make("tr", trainClasses);
        var test = Make("test", testClasses);
        Query = test.Where((_, i) => i % imagesPerClass == 0).ToList();
        Gallery = test.Where((_, i) => i % imagesPerClass != 0).ToList();
        WritePartition();
    }

    public string Root { get; }
    public List<(string Path, string ClassId)> Train { get; }
    public List<(string Path, string ClassId)> Query { get; }
    public List<(string Path, string ClassId)> Gallery { get; }

    public TrainingSets Sets(double validationFraction = 0.25) => TrainingSetsBuilder.Build(Train, Query, Gallery, validationFraction);

    /// <summary>Writes list_eval_partition.txt exactly as DeepFashion In-Shop lays it out (count, header, padded rows).</summary>
    private void WritePartition()
    {
        var rows = Train.Select(i => (i, "train")).Concat(Query.Select(i => (i, "query"))).Concat(Gallery.Select(i => (i, "gallery")))
            .Select(r => $"{Path.GetRelativePath(Root, r.i.Path),-40} {"id_" + r.i.ClassId,-16} {r.Item2}").ToList();
        File.WriteAllLines(Path.Combine(Root, "list_eval_partition.txt"), [rows.Count.ToString(), "image_name item_id evaluation_status", .. rows]);
    }

    private static void Draw(string path, int size, int cls, Random rng)
    {
        using var bitmap = new SKBitmap(size, size);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            var hue = cls * 47 % 360;
            using var paint = new SKPaint { Color = SKColor.FromHsv(hue, 90, 50 + cls * 13 % 50), IsAntialias = true };
            var cx = size * (0.3f + 0.4f * (cls * 7 % 5) / 4f) + (float)rng.NextDouble() * 2;
            var cy = size * (0.3f + 0.4f * (cls * 3 % 4) / 3f) + (float)rng.NextDouble() * 2;
            canvas.DrawCircle(cx, cy, size * (0.15f + 0.1f * (cls % 3)), paint);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
