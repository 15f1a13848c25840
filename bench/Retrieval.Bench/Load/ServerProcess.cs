using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Retrieval.Bench.Load;

/// <summary>A retrieval-server child process on a free loopback port; waits for gRPC health SERVING and is killed on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];

    private ServerProcess(Process process, string address) => (_process, Address) = (process, address);

    /// <summary>The server's address (http://127.0.0.1:port).</summary>
    public string Address { get; }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts <paramref name="exe"/> with <paramref name="arguments"/> plus --port and --metrics-port 0, and waits until it serves.</summary>
    public static async Task<ServerProcess> StartAsync(string exe, IEnumerable<string> arguments, TimeSpan timeout, Action<string> progress)
    {
        if (!File.Exists(exe)) throw new FileNotFoundException($"server executable not found: {exe} (build serve/Retrieval.Serve -c Release or pass --server-exe).");
        int port = FreePort();
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments.Concat(["--port", port.ToString(), "--metrics-port", "0"])) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {exe}");
        var server = new ServerProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => server.Capture(e.Data, progress);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data, progress);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitServingAsync(timeout);
        return server;
    }

    private void Capture(string? line, Action<string> progress)
    {
        if (line is null) return;
        lock (_log) _log.Add(line);
        if (line.Contains("Gallery") || line.Contains("gallery index") || line.Contains("Cannot start")) progress(line.Trim());
    }

    private async Task WaitServingAsync(TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"server exited with code {_process.ExitCode}:\n{string.Join('\n', _log.TakeLast(20))}");
            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    return;
            }
            catch (Grpc.Core.RpcException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"server did not report SERVING within {timeout.TotalSeconds:F0} s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
