using System.Security.Cryptography;
using System.Text;
using Retrieval.Core.Imaging;

namespace Retrieval.Data.Tests.Safety;

/// <summary>
/// A user's DeepFashion In-Shop folder in miniature, laid out as the release is (Eval/list_eval_partition.txt with its
/// row-count line, header and space-padded rows; PNGs under Img/img/...), with no marker of ours: the folder the data
/// rules must never write into or delete. Each item's images share a colour pattern, so a network can learn them.
/// </summary>
internal static class ForeignInShop
{
    /// <summary>Writes the release under <paramref name="root"/>; returns (train, query, gallery) image counts.</summary>
    public static (int Train, int Query, int Gallery) Write(string root, int trainItems, int testItems, int size = 24)
    {
        var rows = new List<string>();
        var random = new Random(3);
        int train = 0, query = 0, gallery = 0;
        for (int item = 1; item <= trainItems + testItems; item++)
        {
            string id = $"id_{item:D8}";
            string[] statuses = item <= trainItems ? ["train", "train", "train"] : ["query", "gallery", "gallery"];
            var (r, g, b) = ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            for (int view = 0; view < statuses.Length; view++)
            {
                string path = $"img/WOMEN/Dresses/{id}/{view + 1:D2}_{view + 1}_front.png";
                var image = TestImages.Make(size, size, (x, y, c) =>
                    Math.Clamp((c == 0 ? r : c == 1 ? g : b) + ((x / 6 + y / 6 + view) % 2 == 0 ? 40 : -40) + random.Next(-10, 11), 0, 255));
                string file = Path.Combine(root, "Img", path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, ImageEncoder.EncodePng(image));
                rows.Add($"{path,-48} {id,-16} {statuses[view]}  ");
                _ = statuses[view] switch { "train" => train++, "query" => query++, _ => gallery++ };
            }
        }
        Directory.CreateDirectory(Path.Combine(root, "Eval"));
        File.WriteAllText(Path.Combine(root, "Eval", "list_eval_partition.txt"),
            $"{rows.Count}\nimage_name item_id evaluation_status\n{string.Join("\n", rows)}\n");
        Directory.CreateDirectory(Path.Combine(root, "Anno"));
        File.WriteAllText(Path.Combine(root, "Anno", "list_item_inshop.txt"), $"{trainItems + testItems}\n");
        return (train, query, gallery);
    }

    /// <summary>Every file and folder under <paramref name="root"/> with a SHA-256 of each file's bytes, in path order.</summary>
    public static string Fingerprint(string root)
    {
        var text = new StringBuilder();
        foreach (string entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, entry);
            text.Append(File.Exists(entry) ? $"{relative} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)))}\n" : $"{relative}/\n");
        }
        return text.ToString();
    }
}
