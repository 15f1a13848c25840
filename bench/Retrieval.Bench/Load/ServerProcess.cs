using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Retrieval.Bench.Abuse;

namespace Retrieval.Bench.Load;

/// <summary>
/// A retrieval-server child process on a free loopback port; waits for gRPC health SERVING (timing it from the
/// process start) and is killed (SIGKILL) on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly Action<string>? _onLine;
    private int _disposed;

    private ServerProcess(Process process, string address, Action<string>? onLine) => (_process, Address, _onLine) = (process, address, onLine);

    /// <summary>The server's address (http://127.0.0.1:port).</summary>
    public string Address { get; }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Time from starting the process to its first SERVING answer.</summary>
    public TimeSpan StartToServing { get; private set; }

    /// <summary>Resident memory of the server now (VmRSS from /proc), in bytes.</summary>
    public long RssBytes() => ProcessRss.CurrentBytes(_process.Id);

    /// <summary>
    /// Starts <paramref name="exe"/> with <paramref name="arguments"/> plus --port and --metrics-port 0, and waits until it
    /// serves; <paramref name="progress"/> gets the gallery lines, <paramref name="onLine"/> every line.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string exe, IEnumerable<string> arguments, TimeSpan timeout, Action<string> progress,
        Action<string>? onLine = null)
    {
        if (!File.Exists(exe)) throw new FileNotFoundException($"server executable not found: {exe} (build serve/Retrieval.Serve -c Release or pass --server-exe).");
        int port = FreePort();
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments.Concat(["--port", port.ToString(), "--metrics-port", "0"])) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {exe}");
        var server = new ServerProcess(process, $"http://127.0.0.1:{port}", onLine);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data, progress);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data, progress);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitServingAsync(timeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        server.StartToServing = clock.Elapsed;
        return server;
    }

    private void Capture(string? line, Action<string> progress)
    {
        if (line is null) return;
        lock (_log) _log.Add(line);
        _onLine?.Invoke(line);
        if (line.Contains("Gallery") || line.Contains("gallery") || line.Contains("Cannot start")) progress(line.Trim());
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
                if ((await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5))).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    return;
            }
            catch (Grpc.Core.RpcException) { }
            await Task.Delay(20);
        }
        throw new TimeoutException($"server did not report SERVING within {timeout.TotalSeconds:F0} s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the server at once (SIGKILL: no shutdown code runs) and waits for it to be gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
