namespace Retrieval.Core.Data;

/// <summary>A data set list file is malformed; the message names the file, the 1-based line and the field.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string file, int line, string field, string problem)
        : base(line > 0 ? $"{file}:{line}: field '{field}': {problem}" : $"{file}: {field}: {problem}")
    {
        File = file;
        Line = line;
        Field = field;
    }

    public string File { get; }

    /// <summary>1-based line number; 0 when the problem concerns the whole file.</summary>
    public int Line { get; }

    public string Field { get; }
}
