using System.Text;
using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Retrieval.Core.IO;

namespace Retrieval.Train.Training;

/// <summary>
/// One checkpoint file: a header, the training state as JSON, the model's and the loss's state
/// dictionaries, libtorch's CPU random-generator state and (optionally) the optimizer state. Written to a temporary file, flushed to disk and
/// renamed over the target, so a crash leaves either the old or the new checkpoint, never a torn one.
/// </summary>
public static class CheckpointFile
{
    // Format 2: the training state in snake_case JSON (format 1, camelCase, is refused with a clear message).
    private const string Magic = "RTCKPT02";
    private const string FormatOne = "RTCKPT01";

    /// <summary>Atomically writes the checkpoint to <paramref name="path"/>.</summary>
    public static void Save(string path, TrainingState state, nn.Module model, nn.Module loss, OptimizerHelper? optimizer)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(JsonSerializer.Serialize(state, JsonFiles.Options));
            model.save(writer);
            loss.save(writer);
            var rng = random.get_rng_state().data<byte>().ToArray();
            writer.Write(rng.Length);
            writer.Write(rng);
            writer.Write(optimizer is not null);
            optimizer?.save_state_dict(writer);
            writer.Flush();
        });
    }

    /// <summary>Reads only the training state (no tensors), e.g. to decide whether to resume.</summary>
    public static TrainingState ReadState(string path)
    {
        using var reader = Open(path);
        return ReadHeader(reader, path);
    }

    /// <summary>
    /// Loads the weights into <paramref name="model"/> and <paramref name="loss"/> and returns the training state;
    /// with an <paramref name="optimizer"/> (resuming) it also restores the optimizer and the random-generator state.
    /// </summary>
    public static TrainingState Load(string path, nn.Module model, nn.Module loss, OptimizerHelper? optimizer)
    {
        using var reader = Open(path);
        var state = ReadHeader(reader, path);
        try
        {
            model.load(reader);
            loss.load(reader);
            var rng = reader.ReadBytes(reader.ReadInt32());
            if (optimizer is not null) random.set_rng_state(tensor(rng, dtype: ScalarType.Byte));
            var hasOptimizer = reader.ReadBoolean();
            if (optimizer is not null)
            {
                if (!hasOptimizer) throw new InvalidDataException($"checkpoint {path} has no optimizer state; it cannot be resumed");
                optimizer.load_state_dict(reader);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"checkpoint {path} does not match this model/loss configuration or is truncated: {e.Message}", e);
        }
        return state;
    }

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
    }

    private static TrainingState ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            var magic = Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length));
            if (magic == FormatOne)
                throw new InvalidDataException($"{path} was written by an earlier retrieval-train (checkpoint format 1); continue it with that version or start a new --name");
            if (magic != Magic) throw new InvalidDataException($"{path} is not a retrieval-train checkpoint (bad header)");
            return JsonSerializer.Deserialize<TrainingState>(reader.ReadString(), JsonFiles.Options)
                   ?? throw new InvalidDataException($"checkpoint {path} has an empty training state");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"checkpoint {path} is corrupt: {e.Message}", e);
        }
    }
}
