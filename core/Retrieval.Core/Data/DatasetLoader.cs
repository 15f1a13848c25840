namespace Retrieval.Core.Data;

/// <summary>
/// Loads a data set folder, detecting In-Shop, CUB-200-2011 or Stanford Online Products from its list files.
/// CUB and SOP are also found from the folder above their release folder (CUB_200_2011/, Stanford_Online_Products/).
/// </summary>
public static class DatasetLoader
{
    public static RetrievalDataset Load(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"data set folder '{root}' does not exist");
        return Detect(root) switch
        {
            DatasetFormat.InShop => InShopReader.Read(root),
            DatasetFormat.Cub => CubReader.Read(root),
            DatasetFormat.Sop => SopReader.Read(root),
            _ => throw new DatasetFormatException(root, 0, "format",
                "no known list file: In-Shop list_eval_partition.txt (root or Eval/), CUB images.txt (root or CUB_200_2011/), " +
                "SOP Ebay_train.txt (root or Stanford_Online_Products/)"),
        };
    }

    /// <summary>The folder a data set's relative image paths resolve against, found without reading its lists.</summary>
    public static string ImageRoot(string root) => Detect(root) switch
    {
        DatasetFormat.Cub => CubReader.ImageRoot(root),
        DatasetFormat.Sop => SopReader.ImageRoot(root),
        _ => InShopReader.ImageRoot(root),
    };

    /// <summary>Which known format's list file the folder holds (checked in this order), or null; reads no list.</summary>
    public static DatasetFormat? Detect(string root) =>
        InShopReader.FindListFile(root) is not null ? DatasetFormat.InShop
        : CubReader.FindBase(root) is not null ? DatasetFormat.Cub
        : SopReader.FindBase(root) is not null ? DatasetFormat.Sop
        : null;
}
