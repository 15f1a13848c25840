namespace Retrieval.Core.IO;

/// <summary>
/// Progress of long work as plain lines ("description: done/total"), one per tenth of the work, for logs and
/// redirected output (no escape codes). The callback is safe to call from several threads.
/// </summary>
public static class DecileProgress
{
    /// <summary>A (done, total) callback that writes a line to <paramref name="output"/> each time another tenth is done.</summary>
    public static Action<int, int> To(TextWriter output, string description)
    {
        int lastDecile = -1;
        var gate = new object();
        return (done, total) =>
        {
            int decile = total <= 0 ? 10 : (int)(10L * done / total);
            lock (gate)
            {
                if (decile == lastDecile)
                    return;
                lastDecile = decile;
                output.WriteLine($"{description}: {done}/{total}");
                output.Flush();
            }
        };
    }
}
