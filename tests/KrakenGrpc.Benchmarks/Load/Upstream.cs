using System.Diagnostics;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Benchmarks.Load;

/// <summary>The REST server the direct, floor and gateway runs all call: it must never be the bottleneck.</summary>
internal interface IUpstream : IAsyncDisposable
{
    string Description { get; }

    Uri BaseAddress { get; }

    /// <summary>Whether private calls get a recorded answer (nginx does not check signatures; the emulator does).</summary>
    bool ServesPrivateCalls { get; }

    /// <summary>Requests served so far.</summary>
    long RequestCount();

    /// <summary>CPU time the server's processes have used so far, or null when it runs inside the harness.</summary>
    TimeSpan? CpuTime();
}

/// <summary>
/// Debian's nginx, started as the current user with a generated configuration in a temporary directory, on a free
/// loopback port, serving Kraken's documented answers (fixtures/docs) from files whatever the query or body. Each
/// request is one line of its access log, which is how they are counted. Killed on disposal and on the harness's
/// exit, whatever happened; the directory goes with it.
/// </summary>
internal sealed class NginxUpstream : IUpstream
{
    /// <summary>The answers it serves: request path → the fixture file Kraken's documentation shows for it.</summary>
    private static readonly (string Path, string Fixture)[] Answers =
    [
        ("0/public/Ticker", "Ticker.json"),
        ("0/public/Depth", "Depth.json"),
        ("0/public/Time", "Time.json"),
        ("0/private/Balance", "Balance.json"),
        ("0/private/AddOrder", "AddOrder.json"),
    ];

    private readonly Process _process;
    private readonly string _directory;
    private readonly string _accessLog;
    private readonly OwnedProcess _owned;

    private NginxUpstream(Process process, string directory, Uri baseAddress, string version)
    {
        _process = process;
        _directory = directory;
        _accessLog = Path.Combine(directory, "access.log");
        BaseAddress = baseAddress;
        Description = $"{version} (1 worker) at {baseAddress}, config and answers in {directory}";
        _owned = new OwnedProcess(process, "nginx");
    }

    public string Description { get; }

    public Uri BaseAddress { get; }

    public bool ServesPrivateCalls => true;

    /// <summary>The nginx binary on PATH or in /usr/sbin, or null when it is not installed.</summary>
    public static string? Find() =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    public static async Task<NginxUpstream> StartAsync(string nginx, string fixtures, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("kraken-load-nginx-").FullName;
        try
        {
            foreach (var (path, fixture) in Answers)
            {
                var target = Path.Combine(directory, "answers", path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(fixtures, fixture), target);
            }
            // When the harness runs as root, nginx's workers run as nobody and must be able to read the answers.
            if (!OperatingSystem.IsWindows())
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Append(directory))
                {
                    File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.OtherRead | UnixFileMode.GroupRead |
                        (Directory.Exists(entry) ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));
                }
            }

            var port = OwnedProcess.FreeLoopbackPort();
            await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), Config(directory, port), cancellationToken);

            var version = await VersionAsync(nginx, cancellationToken);
            var start = new ProcessStartInfo(nginx)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log") })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
            var upstream = new NginxUpstream(process, directory, new Uri($"http://127.0.0.1:{port}"), version);
            try
            {
                await upstream.WaitUntilServingAsync(cancellationToken);
                return upstream;
            }
            catch
            {
                await upstream.DisposeAsync();
                throw;
            }
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    public long RequestCount()
    {
        // One line per request; nginx writes each line as the request ends (no access-log buffer is configured).
        using var log = new FileStream(_accessLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = log.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return lines;
    }

    public TimeSpan? CpuTime()
    {
        // The master and its worker: the worker does the serving.
        var total = ProcStatus.CpuTime(_process.Id);
        foreach (var child in Children(_process.Id))
        {
            total += ProcStatus.CpuTime(child);
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        // A fast shutdown (SIGTERM to the master) lets the master end and reap its worker; killing the tree at once
        // leaves the worker a zombie where nothing reaps orphans. Killing stays the fallback.
        if (!_process.HasExited)
        {
            SignalTerminate();
        }
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // Still running: the owner kills the tree below.
            }
        }
        await _owned.DisposeAsync();
        TryDelete(_directory);
    }

    private void SignalTerminate()
    {
        try
        {
            using var stop = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            stop?.WaitForExit(5_000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill(1): the fallback kills the tree.
        }
    }

    // `daemon off` keeps the master a child of the harness, so killing its process tree stops nginx for certain.
    // Keep-alive is unlimited so that the clients' connection pools are not recycled every 1 000 requests.
    private static string Config(string directory, int port) => $$"""
        daemon off;
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 4096; }
        http {
            log_format count '$request_method $uri $status';
            access_log {{directory}}/access.log count;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            keepalive_requests 10000000;
            keepalive_timeout 300s;
            server {
                listen 127.0.0.1:{{port}};
                root {{directory}}/answers;
                default_type application/json;
                types { }
                # Private calls are POSTs, which nginx's static module refuses with 405; this serves the file instead
                # (error_page turns the method into GET for the internal redirect).
                error_page 405 =200 $uri;
                location /0/ { }
            }
        }
        """;

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                var errors = await _process.StandardError.ReadToEndAsync(cancellationToken);
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}: {errors}");
            }
            try
            {
                using var answer = await client.GetAsync(new Uri(BaseAddress, "/0/public/Time"), cancellationToken);
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("nginx did not answer /0/public/Time within 10 s.");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<string> VersionAsync(string nginx, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(nginx, "-v") { UseShellExecute = false, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var text = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return text.Replace("nginx version: ", string.Empty, StringComparison.Ordinal).Trim();
    }

    private static List<int> Children(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a dying worker; the temp directory is cleaned up by the system eventually.
        }
    }
}

/// <summary>
/// The fallback when nginx is not installed: the emulator in this process. It costs the harness CPU and checks
/// signatures, so its figures are not comparable with nginx's and the private runs are skipped.
/// </summary>
internal sealed class EmulatorUpstream(KrakenEmulator emulator) : IUpstream
{
    public string Description => $"THE EMULATOR (in the harness process) at {BaseAddress} — NOT nginx";

    public Uri BaseAddress => emulator.BaseAddress;

    public bool ServesPrivateCalls => false;

    public static async Task<EmulatorUpstream> StartAsync(CancellationToken cancellationToken) =>
        new(await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan }, cancellationToken));

    public long RequestCount() => emulator.Requests.TotalCount;

    public TimeSpan? CpuTime() => null;

    public ValueTask DisposeAsync() => emulator.DisposeAsync();
}
