namespace Retrieval.Core.Imaging;

/// <summary>
/// The one evaluation/serving preprocessing: resize shorter side to <paramref name="ResizeShorter"/>, centre-crop
/// <paramref name="CropSize"/>, float32 CHW in [0, 1]. Training (eval pass) and serving both call this; training's
/// augmented tensors come from <see cref="ToTrainTensor"/>.
/// </summary>
public sealed record PreprocessSpec(int ResizeShorter, int CropSize)
{
    /// <summary>Throws unless 0 &lt; CropSize ≤ ResizeShorter.</summary>
    public void Validate()
    {
        if (CropSize <= 0 || ResizeShorter < CropSize)
            throw new ArgumentException($"invalid preprocessing: need 0 < crop ({CropSize}) <= resize ({ResizeShorter})");
    }

    /// <summary>Number of floats in one tensor: 3 · CropSize².</summary>
    public int TensorLength => 3 * CropSize * CropSize;

    /// <summary>Resize shorter side, centre-crop, CHW float32 in [0, 1].</summary>
    public float[] ToEvalTensor(RgbImage image) => ImageTensor.ToChw(ToEvalImage(image));

    /// <summary>Writes the eval tensor into one batch slot of length <see cref="TensorLength"/>.</summary>
    public void WriteEvalTensor(RgbImage image, Span<float> destination) => ImageTensor.WriteChw(ToEvalImage(image), destination);

    /// <summary>
    /// The training augmentation on the same decoded image type: random resized crop to CropSize (torchvision defaults)
    /// and a horizontal flip with probability 1/2, then CHW float32 in [0, 1].
    /// </summary>
    public float[] ToTrainTensor(RgbImage image, Random rng)
    {
        Validate();
        var crop = ImageTransforms.RandomResizedCrop(image, CropSize, rng);
        return ImageTensor.ToChw(rng.NextDouble() < 0.5 ? ImageTransforms.HorizontalFlip(crop) : crop);
    }

    /// <summary>The resized and centre-cropped image (before conversion to floats).</summary>
    public RgbImage ToEvalImage(RgbImage image)
    {
        Validate();
        return ImageTransforms.CenterCrop(ImageTransforms.ResizeShorterSide(image, ResizeShorter), CropSize);
    }
}
