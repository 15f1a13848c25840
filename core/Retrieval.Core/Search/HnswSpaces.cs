using System.Runtime.CompilerServices;

namespace Retrieval.Core.Search;

/// <summary>
/// A distance between a query and a stored (possibly encoded) vector. Implemented by structs so that the graph
/// search, generic over the space, is compiled once per metric and storage with the kernel inlined.
/// </summary>
internal unsafe interface IHnswSpace
{
    /// <summary>How the vectors this space compares against are stored.</summary>
    static abstract VectorStorage Storage { get; }

    static abstract float Distance(in HnswQuery q, byte* vector, int dimension);

    /// <summary>
    /// The distance when it is below <paramref name="bound"/>; otherwise any value &gt;= bound, possibly found after
    /// reading only part of the vector (the search only needs to know the node cannot enter the beam).
    /// </summary>
    static abstract float DistanceBelow(in HnswQuery q, byte* vector, int dimension, float bound);
}

/// <summary>The spaces of every metric and storage (kernels grouped in one file, like the distance kernels).</summary>
internal static unsafe class HnswSpaces
{
    /// <summary>Squared L2 on f32 vectors.</summary>
    public readonly struct L2F32 : IHnswSpace
    {
        public static VectorStorage Storage => VectorStorage.Float32;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Distance(in HnswQuery q, byte* v, int n) => VectorDistance.SquaredL2(ref *q.Values, ref *(float*)v, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float DistanceBelow(in HnswQuery q, byte* v, int n, float bound) => VectorDistance.SquaredL2Below(ref *q.Values, ref *(float*)v, n, bound);
    }

    /// <summary>1 - dot on normalised f32 vectors (cosine distance).</summary>
    public readonly struct CosineF32 : IHnswSpace
    {
        public static VectorStorage Storage => VectorStorage.Float32;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Distance(in HnswQuery q, byte* v, int n) => 1f - VectorDistance.Dot(ref *q.Values, ref *(float*)v, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float DistanceBelow(in HnswQuery q, byte* v, int n, float bound) => Distance(q, v, n);
    }

    /// <summary>Squared L2 against f16 vectors.</summary>
    public readonly struct L2F16 : IHnswSpace
    {
        public static VectorStorage Storage => VectorStorage.Float16;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Distance(in HnswQuery q, byte* v, int n) => QuantizedVectors.SquaredL2Half(q.Values, (Half*)v, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float DistanceBelow(in HnswQuery q, byte* v, int n, float bound) => Distance(q, v, n);
    }

    /// <summary>1 - dot against f16 vectors.</summary>
    public readonly struct CosineF16 : IHnswSpace
    {
        public static VectorStorage Storage => VectorStorage.Float16;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Distance(in HnswQuery q, byte* v, int n) => 1f - QuantizedVectors.DotHalf(q.Values, (Half*)v, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float DistanceBelow(in HnswQuery q, byte* v, int n, float bound) => Distance(q, v, n);
    }

    /// <summary>Squared L2 against byte-coded vectors: |q|^2 + |x|^2 - 2 q.x, never below 0.</summary>
    public readonly struct L2Int8 : IHnswSpace
    {
        public static VectorStorage Storage => VectorStorage.Int8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Distance(in HnswQuery q, byte* v, int n) =>
            Math.Max(0f, q.Norm + QuantizedVectors.NormBytes(v) - 2f * QuantizedVectors.DotBytes(q.Values, q.Sum, v, n));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float DistanceBelow(in HnswQuery q, byte* v, int n, float bound) => Distance(q, v, n);
    }

    /// <summary>1 - dot against byte-coded vectors.</summary>
    public readonly struct CosineInt8 : IHnswSpace
    {
        public static VectorStorage Storage => VectorStorage.Int8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Distance(in HnswQuery q, byte* v, int n) => 1f - QuantizedVectors.DotBytes(q.Values, q.Sum, v, n);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float DistanceBelow(in HnswQuery q, byte* v, int n, float bound) => Distance(q, v, n);
    }
}
