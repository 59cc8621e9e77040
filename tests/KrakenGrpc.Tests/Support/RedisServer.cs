using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KrakenGrpc.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (the Debian package) on a free loopback port, for the scale-out tests: replicas
/// coordinate through the Redis engine itself, so the tests use the engine rather than a fake that could agree with
/// the gateway's mistakes. No persistence (the tests need none, and a restart that loses the data is the harsher
/// case), its own temporary working directory, loopback only.
/// <para>
/// <see cref="StopAsync"/> and <see cref="RestartAsync"/> simulate Redis going away and coming back on the same
/// address, so the clients of the gateway under test reconnect by themselves. The process is killed on disposal and,
/// should disposal never run (a test that throws before it, a cancelled run), when the test process exits, so no
/// server outlives the tests. Only a test host that dies without running its exit handlers (killed, or brought down
/// by an unhandled exception) leaves its servers behind: listening on loopback, empty, holding nothing.
/// </para>
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>How long a start may take before the server counts as broken (it takes milliseconds).</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long a killed server may take to be gone.</summary>
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(10);

    /// <summary>Lines of the server's own output kept for an error message (its start-up banner and complaints).</summary>
    private const int OutputLines = 200;

    private static readonly byte[] Ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();

    private readonly string _executable;
    private readonly string _directory;
    private readonly EventHandler _onExit;
    private readonly Lock _gate = new();
    private Process? _process;
    private Queue<string> _output = new();

    private RedisServer(string executable, int port, string directory)
    {
        _executable = executable;
        Port = port;
        _directory = directory;
        // ProcessExit runs when the test host ends normally, whatever the tests did; disposal may never come.
        _onExit = (_, _) =>
        {
            Kill();
            DeleteDirectory();
        };
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    /// <summary>The loopback port the server listens on, the same after a restart.</summary>
    public int Port { get; }

    /// <summary>The server's address in StackExchange.Redis syntax (<c>Coordination:Redis</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts a server on a free loopback port and returns once it answers PING. Throws when redis-server is not
    /// installed (a missing server must fail the tests, not skip them) or does not come up within 10 s.
    /// </summary>
    public static async Task<RedisServer> StartAsync()
    {
        var executable = FindExecutable();
        // The free port is only free when it is read: another process may take it before redis-server binds it. The
        // server then exits at once ("Address already in use"), and another port is tried.
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("krakengrpc-redis-").FullName;
            var server = new RedisServer(executable, FreeLoopbackPort(), directory);
            try
            {
                await server.LaunchAsync();
                return server;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Kills the server (no clean shutdown: it simulates Redis disappearing) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
        }
        if (process is null)
        {
            return;
        }
        Kill(process);
        using var timeout = new CancellationTokenSource(ExitLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"redis-server (pid {process.Id}) on port {Port} did not exit within {ExitLimit.TotalSeconds:0} s of being killed.");
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>
    /// Starts the server again on the same port (stopping it first if it still runs) and returns once it answers
    /// PING. It starts empty: whatever it held before is lost, as with a Redis without persistence.
    /// </summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        try
        {
            await StopAsync();
        }
        finally
        {
            DeleteDirectory();
        }
    }

    private void DeleteDirectory()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover (empty: nothing is persisted) temporary folder is not worth failing a test for.
        }
    }

    private static string FindExecutable()
    {
        const string debian = "/usr/bin/redis-server";
        if (File.Exists(debian))
        {
            return debian;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "redis-server was not found (neither /usr/bin/redis-server nor on PATH). The scale-out tests run a real Redis: "
            + "install it with `apt-get install -y redis-server` (./test.sh does this on CI).");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts the process and waits for its PONG; on failure the process is killed and its output reported.</summary>
    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            // No shell: every argument reaches redis-server as it is (the empty one turns RDB snapshots off).
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in (string[])[
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", _directory,
            "--protected-mode", "yes",
        ])
        {
            start.ArgumentList.Add(argument);
        }

        var output = new Queue<string>();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.Enqueue(e.Data);
                if (output.Count > OutputLines)
                {
                    output.Dequeue();
                }
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _process = process;
            _output = output;
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                // Let the output readers catch up with what the process wrote before it died.
                await process.WaitForExitAsync();
                var text = OutputText();
                var exitCode = process.ExitCode;
                await StopAsync();
                if (text.Contains("Address already in use", StringComparison.Ordinal))
                {
                    throw new PortTakenException($"redis-server could not bind 127.0.0.1:{Port}: {text}");
                }
                throw new InvalidOperationException($"redis-server exited with code {exitCode} while starting on port {Port}. Its output:\n{text}");
            }
            if (await AnswersPingAsync())
            {
                return;
            }
            if (waited.Elapsed > StartLimit)
            {
                var text = OutputText();
                await StopAsync();
                throw new InvalidOperationException($"redis-server did not answer PING on 127.0.0.1:{Port} within {StartLimit.TotalSeconds:0} s. Its output:\n{text}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// One RESP round trip on a fresh connection: PING answered <c>+PONG</c>. Anything else (refused, -LOADING, no
    /// answer within a second) means not yet.
    /// </summary>
    private async Task<bool> AnswersPingAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token);
            await socket.SendAsync(Ping, SocketFlags.None, timeout.Token);
            var answer = new StringBuilder();
            var buffer = new byte[64];
            while (!answer.ToString().Contains("\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return false;
                }
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return answer.ToString().StartsWith("+PONG\r\n", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private string OutputText()
    {
        Queue<string> output;
        lock (_gate)
        {
            output = _output;
        }
        lock (output)
        {
            return string.Join('\n', output);
        }
    }

    private void Kill()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }
        if (process is not null)
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone (or disposed by a concurrent stop).
        }
    }

    /// <summary>The port picked as free was taken before redis-server could bind it.</summary>
    private sealed class PortTakenException(string message) : Exception(message);
}
