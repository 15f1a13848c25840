namespace Retrieval.Cli.Client;

/// <summary>The query images of a load test: the first PNG/JPEG files under a folder, by path, read into memory.</summary>
public static class QueryImageFolder
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The bytes of the first <paramref name="count"/> images (by path) under <paramref name="folder"/>, searched recursively.</summary>
    public static List<byte[]> Read(string folder, int count, string option = "--images")
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{option} '{folder}': no such folder");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).Take(count).ToList();
        if (files.Count == 0) throw new ArgumentException($"{option} '{folder}': no .png/.jpg/.jpeg files");
        return files.Select(File.ReadAllBytes).ToList();
    }
}
