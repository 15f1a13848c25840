using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Startup;

/// <summary>Bad startup settings are one line on standard error and exit code 1 (before: an unhandled exception, abort, exit 134).</summary>
public sealed class StartupErrorTests : TempDirectoryTest
{

    private string Certificate(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Dir, "server.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static async Task<(int Exit, string Error)> RunServer(params string[] args)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "retrieval-server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["exec", server, "--port", "0", "--metrics-port", "0", .. args]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        await output;
        return (process.ExitCode, (await error).Trim());
    }

    [Theory]
    [InlineData("wrong-password", "not a PKCS#12 (.pfx) certificate, or --cert-password is wrong")]
    [InlineData("missing-file", "cannot read the file")]
    [InlineData("not-a-certificate", "not a PKCS#12 (.pfx) certificate")]
    public async Task ABadCertificateIsOneLineAndExitCodeOne(string problem, string message)
    {
        var pfx = Certificate("right");
        var garbage = Path.Combine(Dir, "garbage.pfx");
        File.WriteAllText(garbage, "not a certificate");
        var (cert, password) = problem switch
        {
            "wrong-password" => (pfx, "wrong"),
            "missing-file" => (Path.Combine(Dir, "absent.pfx"), "right"),
            _ => (garbage, "right"),
        };
        var (exit, error) = await RunServer("--model", Path.Combine(Dir, "model.onnx"), "--cert", cert, "--cert-password", password);
        Assert.Equal(1, exit);
        Assert.Single(error.Split('\n'));
        Assert.StartsWith($"retrieval-server: --cert '{cert}': ", error);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("--host", "localhost", "--host 'localhost' is not an IP address")]
    [InlineData("--max-k", "0", "Retrieval:Limits:MaxK must be > 0")]
    public async Task BadSettingsAreOneLineAndExitCodeOne(string option, string value, string message)
    {
        var (exit, error) = await RunServer("--model", Path.Combine(Dir, "model.onnx"), option, value);
        Assert.Equal(1, exit);
        Assert.Single(error.Split('\n'));
        Assert.StartsWith($"retrieval-server: {message}", error);
    }
}
