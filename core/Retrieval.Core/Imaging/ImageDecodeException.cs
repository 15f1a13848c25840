namespace Retrieval.Core.Imaging;

/// <summary>An image could not be decoded: empty, corrupt, truncated, unsupported or over the limits.</summary>
public class ImageDecodeException : Exception
{
    public ImageDecodeException(string message, string? path = null, Exception? inner = null)
        : base(path is null ? message : $"{path}: {message}", inner)
    {
        Path = path;
    }

    /// <summary>The file being decoded, when known.</summary>
    public string? Path { get; }
}
