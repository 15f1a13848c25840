using System.Diagnostics;
using System.Globalization;

namespace Retrieval.CommandLine;

/// <summary>
/// Progress of long work, the same in every executable. Live mode (a terminal): one line redrawn in place with
/// carriage returns — description, bar, percentage, count and a detail such as "loss 0.31 220 img/s" — at most ten
/// times a second. Plain mode (a file, a pipe, make): a line "description: done/total detail" each time another
/// tenth of the work is done; no escape codes, no carriage returns. Safe to call from several threads.
/// </summary>
public sealed class ConsoleProgress
{
    private const int BarWidth = 24;
    private static readonly long RedrawTicks = Stopwatch.Frequency / 10;
    private readonly TextWriter _output;
    private readonly Lock _gate = new();
    private string _description = "";
    private long _total;
    private long _done;
    private string? _detail;
    private int _lastTenth = -1;
    private long _lastDraw;
    private int _drawnWidth;

    /// <param name="output">Where progress goes.</param>
    /// <param name="live">Redraw one line in place (a terminal) instead of writing plain lines.</param>
    public ConsoleProgress(TextWriter output, bool live)
    {
        _output = output;
        IsLive = live;
        Writer = new LineWriter(Message);
    }

    /// <summary>Progress on standard output: live on a terminal, plain otherwise.</summary>
    public static ConsoleProgress ForConsole() => new(Console.Out, Terminal.IsInteractive);

    /// <summary>Plain lines to <paramref name="output"/> (logs, tests, a caller's own writer).</summary>
    public static ConsoleProgress Plain(TextWriter output) => new(output, live: false);

    /// <summary>True when a line is redrawn in place.</summary>
    public bool IsLive { get; }

    /// <summary>A writer whose lines go through <see cref="Message"/>, for code that logs to a TextWriter while progress shows.</summary>
    public TextWriter Writer { get; }

    /// <summary>Starts a piece of work of <paramref name="total"/> steps; a live line still open is ended first.</summary>
    public void Start(string description, long total)
    {
        lock (_gate)
        {
            EndLine();
            (_description, _total, _done, _detail, _lastTenth, _lastDraw) = (description, Math.Max(total, 0), 0, null, -1, 0);
        }
    }

    /// <summary>
    /// <paramref name="done"/> of the current work's steps are finished; <paramref name="detail"/> is shown beside the
    /// count. Counts arriving out of order from several threads never move the display backwards.
    /// </summary>
    public void Report(long done, string? detail = null)
    {
        lock (_gate)
        {
            if (done < _done) return;
            (_done, _detail) = (done, detail);
            bool finished = _done >= _total;
            if (IsLive)
            {
                long now = Stopwatch.GetTimestamp();
                if (!finished && now - _lastDraw < RedrawTicks) return;
                _lastDraw = now;
                Draw();
                if (finished) EndLine();
                return;
            }
            int tenth = _total <= 0 ? 10 : (int)(10 * _done / _total);
            if (tenth == _lastTenth) return;
            _lastTenth = tenth;
            _output.WriteLine(Text());
            _output.Flush();
        }
    }

    /// <summary>
    /// A (done, total) callback for code that reports counts only; a new total starts a new piece of work under
    /// <paramref name="description"/>.
    /// </summary>
    public Action<int, int> Counter(string description)
    {
        long total = -1;
        return (done, newTotal) =>
        {
            lock (_gate)
            {
                if (newTotal != total || _description != description)
                {
                    total = newTotal;
                    Start(description, newTotal);
                }
                Report(done);
            }
        };
    }

    /// <summary>A line for the log; in live mode it is printed above the progress line, which is redrawn below it.</summary>
    public void Message(string line)
    {
        lock (_gate)
        {
            bool open = _drawnWidth > 0;
            if (open) Clear();
            _output.WriteLine(line);
            if (open) Draw();
            _output.Flush();
        }
    }

    /// <summary>Ends a live line still open (call when the work stops early); nothing in plain mode.</summary>
    public void Finish()
    {
        lock (_gate) EndLine();
    }

    private string Text()
    {
        var c = CultureInfo.InvariantCulture;
        string count = string.Create(c, $"{_done}/{_total}");
        string detail = string.IsNullOrEmpty(_detail) ? "" : " " + _detail;
        if (!IsLive) return $"{_description}: {count}{detail}";
        double fraction = _total <= 0 ? 1 : (double)_done / _total;
        int filled = (int)Math.Round(fraction * BarWidth);
        return string.Create(c, $"{_description} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:F0}% {count}{detail}");
    }

    private void Draw()
    {
        string text = Text();
        int width = LineWidth();
        if (text.Length > width) text = text[..width];
        _output.Write('\r' + text.PadRight(_drawnWidth));
        _output.Flush();
        _drawnWidth = Math.Max(text.Length, 1);
    }

    private void Clear() => _output.Write('\r' + new string(' ', _drawnWidth) + '\r');

    private void EndLine()
    {
        if (_drawnWidth == 0) return;
        _output.WriteLine();
        _output.Flush();
        _drawnWidth = 0;
    }

    // One column short of the terminal's width, so the line never wraps (a wrapped line cannot be redrawn with \r).
    private static int LineWidth()
    {
        try { return Console.WindowWidth > 20 ? Console.WindowWidth - 1 : 79; }
        catch (IOException) { return 79; }
    }
}
