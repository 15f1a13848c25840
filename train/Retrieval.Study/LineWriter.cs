using System.Text;

namespace Retrieval.Study;

/// <summary>A TextWriter that hands every completed line to a callback (retrieval-train's plain progress into the study log).</summary>
public sealed class LineWriter(Action<string> line) : TextWriter
{
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            line(_pending.ToString().TrimEnd('\r'));
            _pending.Clear();
        }
        else _pending.Append(value);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _pending.Length > 0) line(_pending.ToString());
        _pending.Clear();
        base.Dispose(disposing);
    }
}
