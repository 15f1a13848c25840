using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Retrieval.Core.Search;

/// <summary>
/// Zeroed memory for a chunk of HNSW node blocks that never moves: a pinned array for small chunks, and on Linux an
/// anonymous mapping advised to use transparent huge pages for large ones (graph search touches blocks at random,
/// so 2 MB pages save most TLB misses). Freed by the finalizer once no generation refers to the chunk.
/// </summary>
internal sealed unsafe partial class HnswChunk
{
    private const long HugePage = 2 << 20;
    private readonly byte[]? _array;
    private readonly nint _mapping;
    private readonly nuint _mappingBytes;

    private HnswChunk(long bytes)
    {
        if (bytes >= 2 * HugePage && OperatingSystem.IsLinux())
        {
            // Over-allocate by one huge page so the base can be 2 MB-aligned.
            _mappingBytes = (nuint)(bytes + HugePage);
            _mapping = mmap(0, _mappingBytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (_mapping != -1)
            {
                Base = (_mapping + (nint)(HugePage - 1)) & ~(nint)(HugePage - 1);
                _ = madvise(Base, (nuint)bytes, MadvHugePage); // a hint: without huge pages the chunk still works
                return;
            }
            _mapping = 0;
        }
        _array = GC.AllocateArray<byte>(checked((int)bytes + 64), pinned: true);
        Base = ((nint)Unsafe.AsPointer(ref _array[0]) + 63) & ~(nint)63;
    }

    ~HnswChunk()
    {
        if (_mapping != 0) munmap(_mapping, _mappingBytes);
    }

    /// <summary>The 64-byte-aligned (2 MB-aligned when mapped) start of the chunk.</summary>
    public nint Base { get; }

    /// <summary>A zeroed chunk of at least <paramref name="bytes"/> bytes.</summary>
    public static HnswChunk Allocate(long bytes) => new(bytes);

    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20, MadvHugePage = 14;

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint address, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);
}
