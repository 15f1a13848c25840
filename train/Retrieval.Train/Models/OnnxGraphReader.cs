using System.Buffers.Binary;
using Google.Protobuf;
using Retrieval.Train.Export.Onnx;
using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>
/// Reads an ONNX file for import: the nodes, who consumes each value, and the float initializers as tensors. Any
/// problem (unreadable file, a missing or non-float initializer, a node that is not where the walk expects it) is an
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
public sealed class OnnxGraphReader
{
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, List<NodeProto>> _consumers = [];

    public OnnxGraphReader(string path)
    {
        Path = path;
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model not found: {path}", path);
        try
        {
            using var stream = File.OpenRead(path);
            Model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Bad($"not an ONNX model ({e.Message})");
        }
        var graph = Model.Graph ?? throw Bad("no graph");
        _initializers = graph.Initializer.ToDictionary(t => t.Name);
        foreach (var node in graph.Node)
            foreach (var input in node.Input)
                (_consumers.TryGetValue(input, out var list) ? list : _consumers[input] = []).Add(node);
    }

    public string Path { get; }
    public ModelProto Model { get; }

    /// <summary>The graph inputs that are not initializers (the data inputs).</summary>
    public IReadOnlyList<string> DataInputs => Model.Graph.Input.Select(i => i.Name).Where(n => !_initializers.ContainsKey(n)).ToList();

    /// <summary>The nodes reading value <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string value) => _consumers.TryGetValue(value, out var list) ? list : [];

    /// <summary>The single node of type <paramref name="opType"/> reading <paramref name="value"/>.</summary>
    public NodeProto Next(string value, string opType, string what)
    {
        var found = Consumers(value).Where(n => n.OpType == opType).ToList();
        return found.Count == 1 ? found[0] : throw Bad($"{what}: expected one {opType} reading '{value}', found {found.Count}");
    }

    /// <summary>The float initializer <paramref name="name"/> as a float32 tensor of its shape.</summary>
    public Tensor Initializer(string name)
    {
        if (!_initializers.TryGetValue(name, out var t)) throw Bad($"'{name}' is not an initializer");
        if (t.DataType != (int)TensorProto.Types.DataType.Float) throw Bad($"initializer '{name}' has data type {t.DataType}, expected FLOAT (1)");
        var count = t.Dims.Aggregate(1L, (a, d) => a * d);
        float[] values;
        if (t.FloatData.Count > 0) values = t.FloatData.ToArray();
        else
        {
            var raw = t.RawData.Span;
            values = new float[raw.Length / 4];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
        }
        if (values.Length != count) throw Bad($"initializer '{name}' holds {values.Length} values for shape [{string.Join(",", t.Dims)}]");
        if (values.Any(v => !float.IsFinite(v))) throw Bad($"initializer '{name}' holds NaN or infinity");
        return tensor(values).reshape(t.Dims.ToArray());
    }

    /// <summary>Integer-list attribute <paramref name="name"/> of <paramref name="node"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long[] Ints(NodeProto node, string name, long[] fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : fallback;

    /// <summary>Float attribute <paramref name="name"/> of <paramref name="node"/>, or <paramref name="fallback"/> when absent.</summary>
    public static float Float(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>Integer attribute <paramref name="name"/> of <paramref name="node"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>An <see cref="InvalidDataException"/> naming this file.</summary>
    public InvalidDataException Bad(string problem) => new($"{Path}: {problem}.");
}
