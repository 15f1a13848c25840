using System.Text;
using Retrieval.Train.Export;
using Retrieval.Train.Models;
using SkiaSharp;
using static TorchSharp.torch;

namespace Retrieval.Serve.Tests.Eval;

/// <summary>
/// A DeepFashion In-Shop release in miniature, byte-for-byte in the real format (Eval/list_eval_partition.txt whose first
/// line is the row count, the header line, space-padded columns with trailing spaces, img/... paths; JPEGs under Img/img/),
/// and a tiny freshly initialised network exported to ONNX. The network stays alive for TorchSharp cross-checks.
/// </summary>
public sealed class InShopEvalFixture : IDisposable
{
    public const int Items = 6, QueriesPerItem = 2, GalleryPerItem = 3, ImageSize = 32, ResizeSize = 40, EmbeddingSize = 16;

    public InShopEvalFixture()
    {
        Directory.CreateDirectory(RunDir);
        manual_seed(5);   // created outside any dispose scope: the network outlives the constructor
        Network = EmbeddingNetwork.Create(new ModelConfig(BackboneNames.ResNetSmall, EmbeddingSize, ImageSize, [0.5f, 0.45f, 0.4f], [0.25f, 0.25f, 0.25f]));
        Network.eval();
        OnnxExporter.Export(Network, ModelPath, new ModelExportInfo(ResizeSize, "test", "eval-tests", new Dictionary<string, double>(), "test"));
        WriteDataset();
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("eval-inshop").FullName;
    public string DataRoot => Path.Combine(Root, "In-shop");
    public string RunDir => Path.Combine(Root, "runs", "tiny");
    public string ModelPath => Path.Combine(RunDir, "model.onnx");
    public EmbeddingNetwork Network { get; }

    public void Dispose()
    {
        Network.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private void WriteDataset()
    {
        var rows = new List<(string Path, string Item, string Status)>();
        var random = new Random(17);
        for (int item = 1; item <= Items; item++)
        {
            string id = $"id_{item:D8}";
            string folder = $"img/{(item % 2 == 0 ? "WOMEN/Dresses" : "MEN/Denim")}/{id}";
            var basePattern = Enumerable.Range(0, 30).Select(_ => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
            string[] statuses = ["train", .. Enumerable.Repeat("query", QueriesPerItem), .. Enumerable.Repeat("gallery", GalleryPerItem)];
            for (int view = 0; view < statuses.Length; view++)
            {
                string path = $"{folder}/{view + 1:D2}_{view + 1}_{(view % 2 == 0 ? "front" : "side")}.jpg";
                WriteJpeg(Path.Combine(DataRoot, "Img", path), basePattern, random);
                rows.Add((path, id, statuses[view]));
            }
        }
        var list = new StringBuilder();
        list.Append(rows.Count).Append('\n').Append("image_name item_id evaluation_status").Append('\n');
        foreach (var (path, item, status) in rows)
            list.Append(path.PadRight(56)).Append(item.PadRight(24)).Append(status).Append("  \n");
        Directory.CreateDirectory(Path.Combine(DataRoot, "Eval"));
        File.WriteAllText(Path.Combine(DataRoot, "Eval", "list_eval_partition.txt"), list.ToString());
    }

    /// <summary>A 48x40 JPEG: the item's 6x5 grid of 8-pixel blocks, each block's colour perturbed per image.</summary>
    internal static void WriteJpeg(string path, SKColor[] pattern, Random random)
    {
        using var bitmap = new SKBitmap(48, 40);
        for (int block = 0; block < pattern.Length; block++)
        {
            var c = pattern[block];
            byte Jitter(byte v) => (byte)Math.Clamp(v + random.Next(-60, 61), 0, 255);
            var color = new SKColor(Jitter(c.Red), Jitter(c.Green), Jitter(c.Blue));
            int bx = block % 6 * 8, by = block / 6 * 8;
            for (int y = by; y < by + 8; y++)
                for (int x = bx; x < bx + 8; x++) bitmap.SetPixel(x, y, color);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(path, jpeg.ToArray());
    }
}
