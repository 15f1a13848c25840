using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Retrieval.Core.Data;
using Retrieval.Core.IO;
using Retrieval.Train.Data;
using Retrieval.Train.Losses;
using Retrieval.Train.Models;
using Retrieval.Train.Training;
using static TorchSharp.torch;

namespace Retrieval.Bench;

/// <summary>Runs `retrieval-bench train` (see <see cref="TrainSpeedCommand"/>).</summary>
public sealed class TrainSpeedBenchmark(TrainSpeedSettings settings)
{
    private const int WarmupSteps = 2;

    public int Run(string jsonPath)
    {
        set_num_threads(settings.Threads);
        var loadBefore = MachineLoad.Read();
        BenchLog.Step($"train: {settings.Backbone} at {settings.ImageSize} px, batch {settings.ClassesPerBatch} x {settings.ImagesPerClass}, " +
                      $"{settings.NumClasses} classes, {settings.Threads} threads, load {loadBefore.One:F1}");
        var sameNetwork = CheckSameNetwork();
        BenchLog.Step($"same network: torchvision ResNet with our converted weights vs TorchSharp, max |diff| / max |value| = {sameNetwork:G3}");

        manual_seed(1);
        using var model = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(settings.Backbone, 128, settings.ImageSize));
        using var loss = new MeanFieldClassWiseMultiSimilarityLoss(settings.NumClasses, 128);
        var options = new TrainOptions { DataRoot = settings.Data ?? "-", Backbone = settings.Backbone, ImageSize = settings.ImageSize, EvalResize = settings.ImageSize,
            ClassesPerBatch = settings.ClassesPerBatch, ImagesPerClass = settings.ImagesPerClass, LearningRate = 1e-4, LossLearningRateRatio = 100, Epochs = 1 };
        using var optimizer = new TrainingOptimizer(model, loss, options, stepsPerEpoch: 1);
        var rounds = new List<TrainSpeedRound>();
        for (var r = 1; r <= settings.Rounds; r++)
        {
            rounds.Add(TorchSharpRound(r, model, loss, optimizer));
            BenchLog.Step($"round {r} TorchSharp: {rounds[^1].ImagesPerSecond:F1} images/s");
            rounds.Add(PyTorchRound(r));
            BenchLog.Step($"round {r} PyTorch: {rounds[^1].ImagesPerSecond:F1} images/s");
        }
        var pipeline = settings.Data is null ? null : MeasurePipeline(settings.Data, model, loss, options);
        var loadAfter = MachineLoad.Read();

        var ours = Median(rounds.Where(r => r.Engine == "TorchSharp").Select(r => r.ImagesPerSecond));
        var theirs = Median(rounds.Where(r => r.Engine != "TorchSharp").Select(r => r.ImagesPerSecond));
        Print(rounds, ours, theirs, pipeline, loadBefore, loadAfter);
        var document = new
        {
            settings, loadBefore = new[] { loadBefore.One, loadBefore.Five, loadBefore.Fifteen }, loadAfter = new[] { loadAfter.One, loadAfter.Five, loadAfter.Fifteen },
            sameNetworkMaxRelativeDiff = sameNetwork, rounds, torchSharpImagesPerSecond = ours, pyTorchImagesPerSecond = theirs, ratio = ours / theirs, pipeline,
        };
        JsonFiles.Write(jsonPath, document);
        Console.WriteLine($"wrote {jsonPath}");
        return 0;
    }

    /// <summary>Training steps on one fixed random batch, as EpochRunner does them on a CPU (loss read back every step).</summary>
    private TrainSpeedRound TorchSharpRound(int round, EmbeddingNetwork model, MetricLoss loss, TrainingOptimizer optimizer)
    {
        manual_seed(round);
        var x = rand(settings.BatchSize, 3, settings.ImageSize, settings.ImageSize);
        var y = arange(settings.ClassesPerBatch).repeat_interleave(settings.ImagesPerClass);
        model.train();
        loss.CheckValues = false;
        void Step()
        {
            using var scope = NewDisposeScope();
            var value = loss.forward(model.forward(x), y);
            value.item<float>();
            optimizer.Step(value);
        }
        var load = MachineLoad.Read().One;
        for (var i = 0; i < WarmupSteps; i++) Step();
        var (wall, cpu) = Measure(() => { for (var i = 0; i < settings.Steps; i++) Step(); });
        return new TrainSpeedRound(round, "TorchSharp", settings.Steps * settings.BatchSize / wall, cpu / settings.Steps, load);
    }

    private TrainSpeedRound PyTorchRound(int round)
    {
        var load = MachineLoad.Read().One;
        var line = RunPython([.. settings.ScriptArguments(), "--warmup", $"{WarmupSteps}"]);
        using var result = JsonDocument.Parse(line);
        var r = result.RootElement;
        return new TrainSpeedRound(round, r.GetProperty("engine").GetString()!, r.GetProperty("images_per_second").GetDouble(), r.GetProperty("cpu_seconds_per_step").GetDouble(), load);
    }

    /// <summary>Max |PyTorch - TorchSharp| / max |value| of the backbone feature maps, torchvision's ResNet holding our weights.</summary>
    private double CheckSameNetwork()
    {
        using var scope = NewDisposeScope();
        var directory = Directory.CreateTempSubdirectory("bench-train-").FullName;
        try
        {
            manual_seed(2);
            var imageNet = settings.Backbone == BackboneNames.ResNet18Cntk;
            using var net = EmbeddingNetwork.Create(imageNet ? ImageNetResNet18.Config(128, settings.ImageSize)
                : ModelConfig.WithImageNetNormalization(settings.Backbone, 128, settings.ImageSize));
            if (imageNet) ImageNetResNet18.LoadInto(net);
            net.eval();
            var input = (rand(2, 3, settings.ImageSize, settings.ImageSize) - net.InputMean) / net.InputStd;
            var (weights, inputFile, outputFile) = (Path.Combine(directory, "backbone.safetensors"), Path.Combine(directory, "input.f32"), Path.Combine(directory, "output.f32"));
            SafeTensorsWriter.Write(weights, net.Backbone.state_dict());
            File.WriteAllBytes(inputFile, input.contiguous().bytes.ToArray());
            RunPython([.. settings.ScriptArguments(), "--check-weights", weights, "--check-input", inputFile, "--check-output", outputFile]);
            float[] ours;
            using (no_grad()) ours = net.Backbone.forward(input).contiguous().data<float>().ToArray();
            var theirs = new float[ours.Length];
            Buffer.BlockCopy(File.ReadAllBytes(outputFile), 0, theirs, 0, Math.Min(theirs.Length * 4, (int)new FileInfo(outputFile).Length));
            return ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max() / ours.Max(Math.Abs);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The trainer's epoch (background decode + augment, then the step) and the batch builder alone, on real images.</summary>
    private PipelineMeasurement MeasurePipeline(string data, EmbeddingNetwork model, MetricLoss loss, TrainOptions options)
    {
        var sets = TrainingSetsBuilder.FromDataset(DatasetLoader.Load(data), options.ValidationFraction);
        var labels = sets.Train.Select(i => i.Label).ToList();
        var plan = new ClassBalancedSampler(labels, options.ClassesPerBatch, options.ImagesPerClass, options.Seed).PlanEpoch(0);
        var images = new ImageStore(sets.Train.Select(i => i.Path).ToList(), 1L << 30);
        var builder = new TrainBatchBuilder(images, labels, options.ImageSize, options.CropScaleMin, options.Seed);
        double Pass() => plan.Sum(b => b.Length) / Measure(() => { for (var b = 0; b < plan.Length; b++) builder.Build(0, b, plan[b]); }).Wall;
        var decodeAndAugment = Pass();
        var augmentOnly = Pass();
        BenchLog.Step($"pipeline alone: {decodeAndAugment:F0} images/s decoding + augmenting, {augmentOnly:F0} images/s augmenting cached images");
        var runner = new EpochRunner(options with { DataRoot = data }, sets.Train, model, loss, CPU, TrainingProgress.Plain(TextWriter.Null));
        using var optimizer = new TrainingOptimizer(model, loss, options, runner.StepsPerEpoch);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var epoch = runner.Run(0, optimizer);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        BenchLog.Step($"trainer epoch: {epoch.ImagesPerSecond:F1} images/s ({epoch.Images} images, {epoch.Seconds:F0} s, {cpuSeconds:F0} CPU s)");
        return new PipelineMeasurement(decodeAndAugment, augmentOnly, epoch.ImagesPerSecond, epoch.Images, epoch.Seconds, cpuSeconds);
    }

    private string RunPython(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(settings.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(settings.Script);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {settings.Python}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{settings.Python} {settings.Script} failed ({process.ExitCode}): {error.Result.Trim()}");
        return output.Trim().Split('\n')[^1];
    }

    private static (double Wall, double Cpu) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        process.Refresh();
        return (clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private void Print(List<TrainSpeedRound> rounds, double ours, double theirs, PipelineMeasurement? pipeline,
        (double One, double Five, double Fifteen) before, (double One, double Five, double Fifteen) after)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"| round | engine | images/s | CPU s/step | load (1 min) |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        foreach (var r in rounds)
            Console.WriteLine(string.Create(c, $"| {r.Round} | {r.Engine} | {r.ImagesPerSecond:F1} | {r.CpuSecondsPerStep:F2} | {r.Load:F1} |"));
        Console.WriteLine(string.Create(c, $"median images/s: TorchSharp {ours:F1}, PyTorch {theirs:F1}; TorchSharp / PyTorch = {ours / theirs:F2}"));
        if (pipeline is not null)
            Console.WriteLine(string.Create(c, $"trainer epoch {pipeline.TrainerImagesPerSecond:F1} images/s ({pipeline.TrainerCpuSeconds / pipeline.Images * settings.BatchSize:F2} CPU s per batch); pipeline alone {pipeline.DecodeAugmentImagesPerSecond:F0} images/s cold, {pipeline.AugmentImagesPerSecond:F0} cached"));
        Console.WriteLine(string.Create(c, $"load average before {before.One:F2} {before.Five:F2} {before.Fifteen:F2}, after {after.One:F2} {after.Five:F2} {after.Fifteen:F2}"));
    }
}
