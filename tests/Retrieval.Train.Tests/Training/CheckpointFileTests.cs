using Retrieval.Train.Losses;
using Retrieval.Train.Training;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Training;

[Collection("TorchSharp")]
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retrieval-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveThenLoadRestoresWeightsLossParametersOptimizerAndState()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var model = new TinyEmbeddingNet();
        var loss = LossFactory.Create("proxyanchor", 5, 8);
        var optimizer = optim.AdamW(model.parameters().Concat(loss.parameters()), 0.01);
        loss.forward(model.forward(rand(4, 3, 8, 8)), tensor(new long[] { 0, 1, 2, 3 })).backward();
        optimizer.step();
        var state = TrainingState.Initial(9, null) with { CompletedEpochs = 3, BestEpoch = 2, BestValidationMapAtR = 0.25 };
        var path = Path.Combine(_dir, "last.ckpt");
        var rngAtSave = random.get_rng_state().data<byte>().ToArray();
        CheckpointFile.Save(path, state, model, loss, optimizer);
        Assert.Equal(["last.ckpt"], Directory.GetFiles(_dir).Select(Path.GetFileName));

        random.manual_seed(2);
        var model2 = new TinyEmbeddingNet();
        var loss2 = LossFactory.Create("proxyanchor", 5, 8);
        var optimizer2 = optim.AdamW(model2.parameters().Concat(loss2.parameters()), 0.01);
        Assert.NotEqual(rngAtSave, random.get_rng_state().data<byte>().ToArray());
        var loaded = CheckpointFile.Load(path, model2, loss2, optimizer2);
        Assert.Equal(rngAtSave, random.get_rng_state().data<byte>().ToArray());

        Assert.Equal(state with { History = loaded.History }, loaded);
        Assert.Equal(Values(model.state_dict()), Values(model2.state_dict()));
        Assert.Equal(Values(loss.state_dict()), Values(loss2.state_dict()));
        // Same optimizer moments: one more identical step keeps the two models identical.
        var x = rand(4, 3, 8, 8);
        var y = tensor(new long[] { 4, 3, 2, 1 });
        foreach (var (m, l, o) in new[] { (model, loss, optimizer), (model2, loss2, optimizer2) })
        {
            o.zero_grad();
            l.forward(m.forward(x), y).backward();
            o.step();
        }
        Assert.Equal(Values(model.state_dict()), Values(model2.state_dict()));
    }

    [Fact]
    public void ACorruptOrForeignFileIsAClearError()
    {
        var path = Path.Combine(_dir, "bad.ckpt");
        File.WriteAllText(path, "not a checkpoint at all");
        Assert.Contains("not a retrieval-train checkpoint", Assert.Throws<InvalidDataException>(() => CheckpointFile.ReadState(path)).Message);
        File.WriteAllBytes(path, "RTCKPT02"u8.ToArray());
        Assert.Contains("corrupt", Assert.Throws<InvalidDataException>(() => CheckpointFile.ReadState(path)).Message);
        File.WriteAllBytes(path, "RTCKPT01"u8.ToArray());
        Assert.Contains("earlier retrieval-train (checkpoint format 1)", Assert.Throws<InvalidDataException>(() => CheckpointFile.ReadState(path)).Message);
        Assert.Throws<FileNotFoundException>(() => CheckpointFile.ReadState(Path.Combine(_dir, "missing.ckpt")));
    }

    [Fact]
    public void ACheckpointOfAnotherArchitectureIsRefused()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "a.ckpt");
        CheckpointFile.Save(path, TrainingState.Initial(1, null), new TinyEmbeddingNet(), LossFactory.Create("proxyanchor", 5, 8), null);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path, new TinyEmbeddingNet(), LossFactory.Create("proxyanchor", 7, 8), null));
        Assert.Contains("does not match", e.Message);
    }

    private static List<float[]> Values(Dictionary<string, Tensor> dict) =>
        dict.OrderBy(kv => kv.Key).Select(kv => kv.Value.to_type(ScalarType.Float32).data<float>().ToArray()).ToList();
}
