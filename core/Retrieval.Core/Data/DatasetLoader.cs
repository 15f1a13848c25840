namespace Retrieval.Core.Data;

/// <summary>Loads a data set folder, detecting In-Shop, CUB-200-2011 or Stanford Online Products from its list files.</summary>
public static class DatasetLoader
{
    public static RetrievalDataset Load(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"data set folder '{root}' does not exist");
        if (InShopReader.FindListFile(root) is not null)
            return InShopReader.Read(root);
        if (CubReader.FindBase(root) is not null)
            return CubReader.Read(root);
        if (File.Exists(Path.Combine(root, SopReader.TrainFile)))
            return SopReader.Read(root);
        throw new DatasetFormatException(root, 0, "format",
            "no known list file: In-Shop list_eval_partition.txt (root or Eval/), CUB images.txt (root or CUB_200_2011/), SOP Ebay_train.txt");
    }
}
