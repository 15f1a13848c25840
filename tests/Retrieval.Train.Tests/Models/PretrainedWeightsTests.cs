using System.Buffers.Binary;
using System.Text;
using Retrieval.Train.Models;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Models;

[Collection("TorchSharp")]
public sealed class PretrainedWeightsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pretrained-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(BackboneNames.ResNetSmall)]
    [InlineData(BackboneNames.ResNet18)]
    public void RoundTripThroughSafetensorsGivesIdenticalOutputs(string backbone)
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.WithImageNetNormalization(backbone, 16, 32);
        manual_seed(1);
        using var source = EmbeddingNetwork.Create(config);
        TestNetworks.RandomizeBatchNormStatistics(source);
        manual_seed(2);
        using var target = EmbeddingNetwork.Create(config);
        using (no_grad()) target.Embedding.weight!.copy_(source.Embedding.weight!);   // the head is not part of the file
        var path = Path.Combine(_dir, "weights.safetensors");
        var state = source.Backbone.state_dict().ToList();
        state.Add(new("fc.weight", randn(1000, source.Backbone.OutputChannels)));      // torchvision's classifier: ignored
        state.Add(new("fc.bias", randn(1000)));
        SafeTensorsWriter.Write(path, state);

        var x = rand(2, 3, 32, 32);
        source.eval();
        target.eval();
        Assert.False(source.forward(x).allclose(target.forward(x)));
        PretrainedWeights.LoadBackbone(target, path);
        Assert.True(source.forward(x).allclose(target.forward(x), 0, 0));
    }

    [Fact]
    public void UnknownMissingAndMisShapedNamesAreAllListed()
    {
        using var scope = NewDisposeScope();
        using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(BackboneNames.ResNetSmall, 8, 32));
        var state = net.Backbone.state_dict().Where(kv => kv.Key != "layer3.0.conv2.weight").ToList();
        state.RemoveAll(kv => kv.Key == "bn1.weight");
        state.Add(new("bn1.weight", ones(7)));
        state.Add(new("layer9.0.conv1.weight", ones(2)));
        var path = Path.Combine(_dir, "bad.safetensors");
        SafeTensorsWriter.Write(path, state);
        var message = Assert.Throws<InvalidDataException>(() => PretrainedWeights.LoadBackbone(net, path)).Message;
        Assert.Contains("unknown names: layer9.0.conv1.weight", message);
        Assert.Contains("missing names: layer3.0.conv2.weight", message);
        Assert.Contains("wrong shapes: bn1.weight (file [7]", message);
        Assert.Contains(path, message);
    }

    [Fact]
    public void HalfAndBFloat16AndFloat64AreConvertedToFloat32()
    {
        using var scope = NewDisposeScope();
        // 1.5 = F16 0x3E00, -2 = BF16 0xC000, 0.25 = F64.
        var data = new byte[2 + 2 + 8];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 0x3E00);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), 0xC000);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(4), 0.25);
        var path = WriteRaw("{\"__metadata__\":{\"format\":\"pt\"},\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}," +
                            "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,1],\"data_offsets\":[2,4]},\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[4,12]}}", data);
        var tensors = SafeTensorsReader.Read(path);
        Assert.Equal(3, tensors.Count);
        Assert.Equal(1.5f, tensors["h"].item<float>());
        Assert.Equal(new long[] { 1, 1 }, tensors["b"].shape);
        Assert.Equal(-2f, tensors["b"].item<float>());
        Assert.Equal(0.25f, tensors["d"].item<float>());
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", "data_offsets [0,12] lie outside")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "8 bytes for shape [3]")]
    [InlineData("{\"w\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}}", "dtype 'U8' is not supported")]
    [InlineData("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'w': missing or malformed")]
    [InlineData("{\"w\": [", "header is not valid JSON")]
    public void CorruptFilesAreRejectedWithTheProblemNamed(string header, string expected)
    {
        var path = WriteRaw(header, new byte[8]);
        var message = Assert.Throws<InvalidDataException>(() => SafeTensorsReader.Read(path)).Message;
        Assert.Contains(expected, message);
        Assert.Contains(path, message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRejected()
    {
        var path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [255, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']);
        Assert.Contains("exceeds the file size", Assert.Throws<InvalidDataException>(() => SafeTensorsReader.Read(path)).Message);
    }

    private string WriteRaw(string header, byte[] data)
    {
        var path = Path.Combine(_dir, $"raw-{Guid.NewGuid():N}.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
