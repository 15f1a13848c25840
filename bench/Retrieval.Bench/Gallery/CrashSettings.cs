namespace Retrieval.Bench.Gallery;

/// <summary>A crash run: the server and model to use, the gallery folder, how many kill rounds, the seed, how often the server compacts and how many ids the writes draw from.</summary>
public sealed record CrashSettings(string ServerExe, string Model, int Dimension, string Folder, int Rounds, int Seed, int CompactAfter = 30, int Universe = 300);
