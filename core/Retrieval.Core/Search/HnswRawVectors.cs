using System.IO.MemoryMappedFiles;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Retrieval.Core.Search;

/// <summary>
/// The full-precision (f32) vectors of a quantised HNSW index, by slot, used to re-rank candidates, for exact
/// search and for <see cref="HnswIndex.TryGetVector"/>. Kept in memory (pinned chunks that never move), or mapped
/// read-only from the index file it was loaded from; slots written after such a load go to memory and shadow the
/// mapped copy.
/// </summary>
internal sealed unsafe class HnswRawVectors : IDisposable
{
    private const int ChunkBytes = 16 << 20;
    private readonly int _dimension;
    private readonly int _shift;
    private readonly object _grow = new();
    private volatile Chunks _chunks = new([], []);
    private MemoryMappedFile? _file;
    private MemoryMappedViewAccessor? _view;
    private byte* _mapped;
    private int _mappedSlots;
    private byte[] _shadowed = [];

    public HnswRawVectors(int dimension)
    {
        _dimension = dimension;
        _shift = Math.Min(BitOperations.Log2((uint)Math.Max(1, ChunkBytes / (dimension * sizeof(float)))), 20);
    }

    /// <summary>Slots whose vectors are read from the mapped file (0 when nothing is mapped).</summary>
    public int MappedSlots => _mappedSlots;

    /// <summary>Maps slots 0..slots-1 from a file section (slot-major f32 rows at offset).</summary>
    public void Map(string path, long offset, int slots)
    {
        if (slots == 0) return;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(offset, (long)slots * _dimension * sizeof(float), MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _mapped = p + _view.PointerOffset;
        _mappedSlots = slots;
        _shadowed = new byte[slots];
    }

    /// <summary>The vector of a slot (written before, or mapped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Get(int slot)
    {
        if (slot < _mappedSlots && Volatile.Read(ref _shadowed[slot]) == 0) return (float*)(_mapped + (nint)slot * _dimension * sizeof(float));
        var c = _chunks;
        return (float*)c.Bases[slot >> _shift] + (nint)(slot & ((1 << _shift) - 1)) * _dimension;
    }

    /// <summary>Stores a slot's vector (callers make sure no reader relies on the slot meanwhile: it is hidden and versioned).</summary>
    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        var c = _chunks;
        if ((slot >> _shift) >= c.Arrays.Length || c.Arrays[slot >> _shift] is null) c = Allocate(slot >> _shift);
        vector.CopyTo(new Span<float>((float*)c.Bases[slot >> _shift] + (nint)(slot & ((1 << _shift) - 1)) * _dimension, _dimension));
        if (slot < _mappedSlots) Volatile.Write(ref _shadowed[slot], 1);
    }

    /// <summary>Bytes held in memory (chunks allocated for written slots).</summary>
    public long MemoryBytes => _chunks.Arrays.Sum(a => a is null ? 0L : a.LongLength * sizeof(float));

    ~HnswRawVectors() => Dispose();

    public void Dispose()
    {
        if (_view is not null)
        {
            _mappedSlots = 0;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file?.Dispose();
            _view = null;
        }
        GC.SuppressFinalize(this);
    }

    private Chunks Allocate(int chunk)
    {
        lock (_grow)
        {
            var c = _chunks;
            if (chunk < c.Arrays.Length && c.Arrays[chunk] is not null) return c;
            int count = Math.Max(c.Arrays.Length, chunk + 1);
            var arrays = new float[]?[count];
            var bases = new nint[count];
            Array.Copy(c.Arrays, arrays, c.Arrays.Length);
            Array.Copy(c.Bases, bases, c.Bases.Length);
            arrays[chunk] = GC.AllocateArray<float>((1 << _shift) * _dimension, pinned: true);
            bases[chunk] = (nint)Unsafe.AsPointer(ref arrays[chunk]![0]);
            return _chunks = new Chunks(arrays, bases);
        }
    }

    /// <summary>Chunk arrays (null where no slot was written) and their base addresses.</summary>
    private sealed record Chunks(float[]?[] Arrays, nint[] Bases);
}
