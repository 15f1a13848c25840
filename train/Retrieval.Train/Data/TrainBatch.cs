namespace Retrieval.Train.Data;

/// <summary>A batch ready for a tensor: pixels as float32 NCHW in [0,1] (row-major) and int64 class indices.</summary>
public sealed record TrainBatch(float[] Pixels, long[] Labels, int ImageSize)
{
    public int Count => Labels.Length;
}
