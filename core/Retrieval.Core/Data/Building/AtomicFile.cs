namespace Retrieval.Core.Data.Building;

/// <summary>Writes a file through a temporary sibling and a rename, so readers never see a half-written file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, tmp => File.WriteAllText(tmp, text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes));

    private static void Write(string path, Action<string> write)
    {
        string tmp = $"{path}.tmp-{Environment.ProcessId}";
        try
        {
            write(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
                File.Delete(tmp);
        }
    }
}
