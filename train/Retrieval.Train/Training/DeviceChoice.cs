namespace Retrieval.Train.Training;

/// <summary>Where to train: the CPU, a CUDA GPU, or CUDA when TorchSharp sees one and the CPU otherwise.</summary>
public enum DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
}
