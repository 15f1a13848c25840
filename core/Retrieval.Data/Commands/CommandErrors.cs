using Retrieval.Core.Data;
using Retrieval.Core.Imaging;

namespace Retrieval.Data.Commands;

/// <summary>How retrieval-data reports failures: user errors (bad input, missing files) as one line on stderr, exit 1.</summary>
public static class CommandErrors
{
    public const int Failed = 1;

    public static int Guard(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DatasetFormatException or ArgumentException
                                      or UnauthorizedAccessException or ImageDecodeException)
        {
            Console.Error.WriteLine($"retrieval-data: error: {e.Message}");
            return Failed;
        }
    }
}
