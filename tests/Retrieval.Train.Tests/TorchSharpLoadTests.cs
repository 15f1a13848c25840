using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests;

/// <summary>Proves libtorch loads in the test host on this OS (see Directory.Build.targets) and autograd works.</summary>
[Collection("TorchSharp")]
public sealed class TorchSharpLoadTests
{
    [Fact]
    public void ForwardAndBackwardOfTinyLinearModelGiveHandComputedGradient()
    {
        using var scope = NewDisposeScope();
        var linear = nn.Linear(3, 1, hasBias: true);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(new float[] { 1f, 2f, 3f }).reshape(1, 3));
            linear.bias!.copy_(tensor(new float[] { 0.5f }));
        }
        var x = tensor(new float[] { 1f, -1f, 2f, 0f, 1f, 1f }).reshape(2, 3);
        var y = linear.forward(x);             // rows: 1-2+6+0.5 = 5.5 ; 0+2+3+0.5 = 5.5
        var loss = y.pow(2).sum();             // 2 * 5.5^2 = 60.5
        loss.backward();

        Assert.Equal(60.5f, loss.item<float>(), 4);
        // dL/dw = sum_i 2*y_i*x_i = 11*(1,-1,2) + 11*(0,1,1) = (11, 0, 33)
        var grad = linear.weight!.grad!.data<float>().ToArray();
        Assert.Equal(new[] { 11f, 0f, 33f }, grad);
        Assert.Equal(22f, linear.bias!.grad!.item<float>(), 4);
    }
}
