using System.Text;

namespace Retrieval.CommandLine;

/// <summary>A TextWriter that hands every completed line to a callback (a log routed through <see cref="ConsoleProgress.Message"/>).</summary>
public sealed class LineWriter(Action<string> line) : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                line(_pending.ToString().TrimEnd('\r'));
                _pending.Clear();
            }
            else _pending.Append(value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            if (disposing && _pending.Length > 0) line(_pending.ToString());
            _pending.Clear();
        }
        base.Dispose(disposing);
    }
}
