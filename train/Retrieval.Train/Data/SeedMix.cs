namespace Retrieval.Train.Data;

/// <summary>Derives independent, reproducible seeds from a run seed and coordinates (epoch, batch, slot).</summary>
public static class SeedMix
{
    /// <summary>A 31-bit seed mixed from the inputs with SplitMix64 steps (stable across machines and runs).</summary>
    public static int Combine(int seed, int a, int b, int c = 0)
    {
        ulong x = (uint)seed;
        x = Mix(x ^ (uint)a);
        x = Mix(x ^ ((ulong)(uint)b << 17));
        x = Mix(x ^ ((ulong)(uint)c << 29));
        return (int)(x & 0x7FFF_FFFF);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
