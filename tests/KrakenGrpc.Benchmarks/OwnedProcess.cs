using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KrakenGrpc.Benchmarks;

/// <summary>
/// A child process the harness started and owns (the gateway, the floor, nginx): killed with its whole tree on
/// disposal and on the harness's exit, should disposal never run, so no measured server outlives a run.
/// </summary>
internal sealed class OwnedProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(10);

    private readonly string _name;
    private readonly EventHandler _onExit;

    public OwnedProcess(Process process, string name)
    {
        Process = process;
        _name = name;
        _onExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public Process Process { get; }

    /// <summary>A free TCP port on loopback for a server to listen on.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Kill()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        Kill();
        using var timeout = new CancellationTokenSource(ExitLimit);
        try
        {
            await Process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"{_name} (pid {Process.Id}) did not exit within {ExitLimit.TotalSeconds:0} s of being killed.");
        }
        Process.Dispose();
    }
}
