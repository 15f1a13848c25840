using System.CommandLine;
using Retrieval.Train.Models;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench train`: fine-tuning images/s of retrieval-train's step (TorchSharp) next to PyTorch's own training
/// loop on the same network, batch, loss and optimiser (bench/torch/train_step.py, Debian python3-torch), alternating
/// rounds so both see the same machine load; first a check that the PyTorch network is ours (our converted weights in
/// torchvision's ResNet give our feature maps). With --data, also the whole trainer's epoch (decode, augment, step) and
/// the data pipeline alone, to show whether the pipeline keeps the step fed.
/// </summary>
public static class TrainSpeedCommand
{
    public static Command Create()
    {
        var backbone = new Option<string>("--backbone") { Description = "resnet18-cntk (the pretrained network make train fine-tunes) or resnet18", DefaultValueFactory = _ => BackboneNames.ResNet18Cntk };
        var size = new Option<int>("--image-size") { Description = "Training image size", DefaultValueFactory = _ => 64 };
        var classes = new Option<int>("--classes-per-batch") { Description = "Classes per batch", DefaultValueFactory = _ => 32 };
        var perClass = new Option<int>("--images-per-class") { Description = "Images per class", DefaultValueFactory = _ => 2 };
        var numClasses = new Option<int>("--num-classes") { Description = "Training classes (mean fields)", DefaultValueFactory = _ => 816 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per round", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds per engine, alternating", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads of both engines", DefaultValueFactory = _ => Environment.ProcessorCount };
        var python = new Option<string>("--python") { Description = "Python with torch and torchvision", DefaultValueFactory = _ => "/usr/bin/python3" };
        var script = new Option<string>("--script") { Description = "The PyTorch side", DefaultValueFactory = _ => "bench/torch/train_step.py" };
        var data = new Option<string?>("--data") { Description = "Data set (In-Shop layout) for the trainer-epoch and pipeline measurement; none skips it" };
        var json = new Option<string>("--json") { Description = "JSON output path", DefaultValueFactory = _ => "artifacts/bench/train.json" };
        var command = new Command("train", "Fine-tuning images/s: retrieval-train's step vs PyTorch's training loop (same network, batch, loss), alternating; the trainer's data pipeline.");
        foreach (var option in new Option[] { backbone, size, classes, perClass, numClasses, steps, rounds, threads, python, script, data, json }) command.Options.Add(option);
        command.SetAction(parse => new TrainSpeedBenchmark(new TrainSpeedSettings(parse.GetValue(backbone)!, parse.GetValue(size), parse.GetValue(classes),
            parse.GetValue(perClass), parse.GetValue(numClasses), parse.GetValue(steps), parse.GetValue(rounds), parse.GetValue(threads),
            parse.GetValue(python)!, parse.GetValue(script)!, parse.GetValue(data))).Run(parse.GetValue(json)!));
        return command;
    }
}
