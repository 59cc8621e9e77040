using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace KrakenGrpc.Benchmarks;

/// <summary>
/// The gateway as a process of its own (<c>dotnet KrakenGrpc.Server.dll</c>), so that its memory and CPU are the
/// gateway's alone. Started on a free loopback port, ready once its gRPC health check answers SERVING, killed on
/// disposal whatever happened (and on the harness's exit, should disposal never run).
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private const string ServerAssembly = "KrakenGrpc.Server.dll";
    private const int KeptOutputLines = 40;

    private readonly Process _process;
    private readonly OwnedProcess _owned;
    private readonly Queue<string> _output = new();

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        _owned = new OwnedProcess(process, "The gateway");
        Address = address;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    /// <summary>The resident set now, in bytes (VmRSS); null once the process has gone.</summary>
    public long? Rss => ProcStatus.ReadKb($"/proc/{Id}/status", "VmRSS") * 1024;

    /// <summary>The highest resident set since the process started, in bytes (VmHWM).</summary>
    public long? PeakRss => ProcStatus.ReadKb($"/proc/{Id}/status", "VmHWM") * 1024;

    public TimeSpan? CpuTime => ProcStatus.CpuTime(Id);

    /// <summary>
    /// The built gateway: <paramref name="explicitPath"/> when given, else the copy the project reference put beside
    /// this harness (the same configuration as the harness).
    /// </summary>
    public static string FindServerAssembly(string? explicitPath)
    {
        var path = explicitPath ?? Path.Combine(AppContext.BaseDirectory, ServerAssembly);
        var runtimeConfig = Path.ChangeExtension(path, ".runtimeconfig.json");
        if (!File.Exists(path) || !File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException($"The gateway is not built at {path} (with {Path.GetFileName(runtimeConfig)}); build the harness first or pass --server <path to {ServerAssembly}>.", path);
        }
        return Path.GetFullPath(path);
    }

    /// <summary>Starts the gateway against <paramref name="kraken"/> and waits until it serves.</summary>
    public static async Task<GatewayProcess> StartAsync(string serverAssembly, Uri kraken, IEnumerable<string> configuration, CancellationToken cancellationToken)
    {
        var port = OwnedProcess.FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(serverAssembly)!,
        };
        start.ArgumentList.Add(serverAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.ArgumentList.Add($"--Kraken:BaseUrl={kraken}");
        // No scrape endpoint: a measured gateway must not fail because another one holds the default metrics port.
        start.ArgumentList.Add("--Metrics:Url=");
        // The harness measures the gateway's own work against upstreams that do not throttle; the public budget models
        // Kraken's throttling and would make every figure the budget's.
        start.ArgumentList.Add("--Kraken:PublicBudget:Enabled=false");
        foreach (var setting in configuration)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The gateway process did not start.");
        var gateway = new GatewayProcess(process, address);
        try
        {
            await gateway.WaitUntilServingAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _owned.DisposeAsync();

    /// <summary>The gateway's last lines of output (warnings and errors: it logs at Warning).</summary>
    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with code {_process.ExitCode} before serving:{Environment.NewLine}{RecentOutput()}");
            }

            try
            {
                var answer = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (answer.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"The gateway did not report SERVING within {limit.TotalSeconds:0} s:{Environment.NewLine}{RecentOutput()}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Count == KeptOutputLines)
            {
                _output.Dequeue();
            }
            _output.Enqueue(line);
        }
    }

    // The `dotnet` that runs this harness (the SDK sets DOTNET_HOST_PATH under `dotnet run`), else the one on PATH.
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }
        return "dotnet";
    }
}
