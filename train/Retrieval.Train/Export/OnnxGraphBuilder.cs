using System.Buffers.Binary;
using Google.Protobuf;
using Retrieval.Train.Export.Onnx;

namespace Retrieval.Train.Export;

/// <summary>Accumulates ONNX nodes and float initializers with unique value names.</summary>
public sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = [];

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; } = new();

    /// <summary>Adds a float32 constant and returns its value name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);   // ONNX raw_data is little-endian
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node of <paramref name="opType"/> with one output and returns the output's value name.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(name) };
        node.Input.AddRange(inputs);
        node.Output.Add(node.Name + ":out");
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>Renames the last node's output (used for the graph output).</summary>
    public void RenameLastOutput(string name)
    {
        Graph.Node[^1].Output[0] = name;
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 1; !_names.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }
}
