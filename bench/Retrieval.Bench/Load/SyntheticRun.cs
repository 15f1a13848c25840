using Retrieval.Train.Export;
using Retrieval.Train.Models;
using SkiaSharp;
using static TorchSharp.torch;

namespace Retrieval.Bench.Load;

/// <summary>A stand-in trained run for the load benchmark when none exists: a seeded, untrained network exported to ONNX and an In-Shop style gallery of drawn PNGs.</summary>
public static class SyntheticRun
{
    /// <summary>Writes model.onnx and data/ (list_eval_partition.txt + img/) under <paramref name="root"/>; returns (model path, data root).</summary>
    public static (string Model, string Data) Create(string root, string backbone, int imageSize, int embeddingSize, int galleryImages)
    {
        var model = Path.Combine(root, "model.onnx");
        var data = Path.Combine(root, "data");
        using (NewDisposeScope())
        {
            manual_seed(1);
            using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(backbone, embeddingSize, imageSize));
            net.eval();
            OnnxExporter.Export(net, model, new ModelExportInfo(imageSize, "none (untrained)", "synthetic", new Dictionary<string, double>(), "bench"));
        }
        var random = new Random(5);
        var rows = new List<string>();
        for (int i = 0; i < galleryImages; i++)
        {
            var name = $"img/item{i % 50:D2}/{i:D4}.png";
            Directory.CreateDirectory(Path.Combine(data, Path.GetDirectoryName(name)!));
            File.WriteAllBytes(Path.Combine(data, name), Draw(random, imageSize));
            rows.Add($"{name} item{i % 50:D2} gallery");
        }
        Directory.CreateDirectory(data);
        File.WriteAllLines(Path.Combine(data, "list_eval_partition.txt"), [rows.Count.ToString(), "image_name item_id evaluation_status", .. rows]);
        return (model, data);
    }

    private static byte[] Draw(Random random, int size)
    {
        using var surface = SKSurface.Create(new SKImageInfo(size, size));
        surface.Canvas.Clear(SKColors.White);
        using var paint = new SKPaint { IsAntialias = true };
        for (int shape = 0; shape < 6; shape++)
        {
            paint.Color = new SKColor((uint)random.Next() | 0xFF000000);
            surface.Canvas.DrawCircle(random.Next(size), random.Next(size), 4 + random.Next(size / 3), paint);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
