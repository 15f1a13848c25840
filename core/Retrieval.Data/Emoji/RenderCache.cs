using System.Security.Cryptography;
using System.Text;
using Retrieval.Core.IO;

namespace Retrieval.Data.Emoji;

/// <summary>
/// Rendered designs of one source, keyed by the SHA-256 of the source file's bytes, in one pack file per source and
/// render setting (written atomically; a SHA-256 of the contents at the end). A rebuild renders only files it has not
/// seen. A pack written with other settings is ignored; a damaged one is reported and ignored (everything in it is
/// rendered again), never read half.
/// </summary>
public sealed class RenderCache
{
    private static readonly byte[] Magic = "RDRENDER"u8.ToArray();
    private const int Version = 1;
    private readonly string _path;
    private readonly string _tag;
    private readonly Dictionary<string, RenderResult> _entries = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _changed;

    private RenderCache(string path, string tag) => (_path, _tag) = (path, tag);

    public int Count => _entries.Count;

    /// <summary>Opens the pack at <paramref name="path"/> (a missing one is empty); problems go to <paramref name="log"/>.</summary>
    public static RenderCache Open(string path, string tag, TextWriter log)
    {
        var cache = new RenderCache(path, tag);
        if (!File.Exists(path))
            return cache;
        try
        {
            cache.Read(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            cache._entries.Clear();
            log.WriteLine($"render cache {path} ignored: {e.Message}; its designs are rendered again");
        }
        return cache;
    }

    public static string Hash(byte[] content) => Convert.ToHexString(SHA256.HashData(content));

    public bool TryGet(string hash, out RenderResult result)
    {
        lock (_gate) return _entries.TryGetValue(hash, out result!);
    }

    public void Put(string hash, RenderResult result)
    {
        lock (_gate)
        {
            _entries[hash] = result;
            _changed = true;
        }
    }

    /// <summary>Writes the pack when something was added.</summary>
    public void Save()
    {
        if (!_changed) return;
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(_tag);
            w.Write(_entries.Count);
            foreach (var (hash, result) in _entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                w.Write(hash);
                w.Write(result.Png is not null);
                byte[] payload = result.Png ?? Encoding.UTF8.GetBytes(result.Error ?? "");
                w.Write(payload.Length);
                w.Write(payload);
            }
        }
        body.Write(SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length)));
        AtomicFile.WriteAllBytes(_path, body.GetBuffer().AsSpan(0, (int)body.Length));
        _changed = false;
    }

    private void Read(byte[] bytes)
    {
        if (bytes.Length < Magic.Length + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("not a render cache");
        var content = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(content).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new InvalidDataException("checksum mismatch");
        using var r = new BinaryReader(new MemoryStream(bytes, 0, content.Length), Encoding.UTF8);
        try
        {
            r.ReadBytes(Magic.Length);
            if (r.ReadInt32() != Version || r.ReadString() != _tag)
                return;   // other settings: start empty, overwritten on save
            int count = r.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string hash = r.ReadString();
                bool ok = r.ReadBoolean();
                byte[] payload = r.ReadBytes(r.ReadInt32());
                _entries[hash] = ok ? new RenderResult(payload, null) : new RenderResult(null, Encoding.UTF8.GetString(payload));
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("truncated");
        }
    }
}
