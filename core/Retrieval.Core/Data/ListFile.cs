namespace Retrieval.Core.Data;

/// <summary>Reads whitespace-separated list files (runs of spaces/tabs, CRLF or LF) and validates their fields.</summary>
internal sealed class ListFile
{
    private ListFile(string path, IReadOnlyList<(int Line, string[] Fields)> rows)
    {
        Path = path;
        Rows = rows;
    }

    public string Path { get; }

    /// <summary>Non-blank lines with their 1-based line numbers, split on any whitespace.</summary>
    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    public static ListFile Read(string path)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, 0, "file", "not found");
        var rows = new List<(int, string[])>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
                rows.Add((number, fields));
        }
        return new ListFile(path, rows);
    }

    /// <summary>Throws unless the row has exactly the named fields.</summary>
    public void ExpectFields((int Line, string[] Fields) row, params string[] names)
    {
        if (row.Fields.Length != names.Length)
        {
            string field = row.Fields.Length < names.Length ? names[row.Fields.Length] : $"extra #{names.Length + 1}";
            throw new DatasetFormatException(Path, row.Line, field,
                $"expected {names.Length} fields ({string.Join(' ', names)}), found {row.Fields.Length}");
        }
    }

    public int Int(int line, string field, string value, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
            throw new DatasetFormatException(Path, line, field, $"'{value}' is not a non-negative integer");
        if (n < min || n > max)
            throw new DatasetFormatException(Path, line, field, $"{n} is outside {min}..{max}");
        return n;
    }

    /// <summary>A relative image path that stays inside the image root, normalised to forward slashes.</summary>
    public string RelativePath(int line, string field, string value)
    {
        string p = value.Replace('\\', '/');
        if (p.StartsWith('/') || System.IO.Path.IsPathRooted(value) || (p.Length > 1 && p[1] == ':'))
            throw new DatasetFormatException(Path, line, field, $"'{value}' is absolute; paths must be relative to the image root");
        var segments = p.Split('/');
        if (segments.Any(s => s == ".."))
            throw new DatasetFormatException(Path, line, field, $"'{value}' escapes the image root ('..')");
        if (segments.Any(s => s.Length == 0 || s == "."))
            throw new DatasetFormatException(Path, line, field, $"'{value}' has an empty or '.' segment");
        return p;
    }
}
