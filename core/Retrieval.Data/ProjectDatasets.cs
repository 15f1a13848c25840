using Retrieval.Data.Safety;

namespace Retrieval.Data;

/// <summary>The data sets `make data` builds, by name, with the recipe version each is built with today.</summary>
public static class ProjectDatasets
{
    /// <summary>The default: every openly licensed design of each emoji (PNG and SVG sources), up to eight per class.</summary>
    public const string Emoji = "emoji";

    /// <summary>The earlier three-design emoji set (Google, Twitter, EmojiOne), kept so earlier numbers reproduce.</summary>
    public const string Emoji3 = "emoji3";

    public const string FashionMnist = "fashion-mnist";

    /// <summary>Name -> recipe version. Bump a version when its builder's output changes, so `make data` rebuilds it.</summary>
    private static readonly Dictionary<string, int> Recipes = new(StringComparer.Ordinal)
    {
        [Emoji] = 2,
        [Emoji3] = 1,
        [FashionMnist] = 1,
    };

    public static IReadOnlyCollection<string> Names => Recipes.Keys;

    public static bool IsKnown(string name) => Recipes.ContainsKey(name);

    /// <summary>The marker a build of <paramref name="name"/> writes today.</summary>
    public static DatasetMarker Marker(string name) =>
        Recipes.TryGetValue(name, out int recipe) ? new DatasetMarker(name, recipe)
            : throw new ArgumentException($"unknown data set '{name}' ({string.Join(" | ", Names)})");
}
