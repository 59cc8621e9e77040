using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Google.Protobuf;
using KrakenGrpc.Contracts.Spot.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace KrakenGrpc.Benchmarks.Load;

/// <summary>
/// The floor: the least work any gRPC gateway in front of Kraken must do for GetTicker, as a raw gRPC endpoint on
/// Kestrel over h2c. It reads the request's frame (a GetTickerRequest), makes one GET to the upstream with one pooled
/// HttpClient, parses the answer once (JsonDocument), and writes one small frame (a GetTickerResponse holding only
/// each pair's last trade price) and the grpc-status trailer. No Grpc.AspNetCore pipeline, no interceptors, no
/// validation, no error mapping, no retries, no full mapping of the ticker: whatever the gateway costs above this is
/// the price of its features.
/// </summary>
internal static class FloorServer
{
    public const string Option = "--serve-floor";

    public const string ReadyLine = "floor: serving";

    private const string TickerPath = "/0/public/Ticker";

    /// <summary>Serves until the process is killed: <c>load --serve-floor &lt;upstream&gt; &lt;port&gt;</c>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count != 3 || !Uri.TryCreate(args[1], UriKind.Absolute, out var upstream) || !int.TryParse(args[2], out var port))
        {
            throw new ArgumentException($"{Option} takes the upstream's base address and a port.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        await using var app = builder.Build();

        // One client for the process's life: its connection pool is what a gateway's typed client would keep.
        using var kraken = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = upstream,
        };
        app.MapPost("/kraken.spot.v1.MarketDataService/GetTicker", (HttpContext context) => GetTickerAsync(context, kraken));

        await app.StartAsync(cancellationToken);
        Console.WriteLine(ReadyLine);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    private static async Task GetTickerAsync(HttpContext context, HttpClient kraken)
    {
        var cancellationToken = context.RequestAborted;
        var request = await ReadMessageAsync(context.Request.BodyReader, GetTickerRequest.Parser, cancellationToken);

        var response = new GetTickerResponse();
        using (var answer = await kraken.GetAsync($"{TickerPath}?pair={Uri.EscapeDataString(string.Join(',', request.Pair))}", HttpCompletionOption.ResponseHeadersRead, cancellationToken))
        await using (var body = await answer.Content.ReadAsStreamAsync(cancellationToken))
        using (var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken))
        {
            foreach (var pair in json.RootElement.GetProperty("result").EnumerateObject())
            {
                response.Tickers[pair.Name] = new Ticker { LastTrade = new TickerLastTrade { Price = pair.Value.GetProperty("c")[0].GetString() } };
            }
        }

        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", "0");
        var size = response.CalculateSize();
        var frame = context.Response.BodyWriter.GetMemory(5 + size)[..(5 + size)];
        frame.Span[0] = 0; // not compressed
        BinaryPrimitives.WriteUInt32BigEndian(frame.Span[1..5], (uint)size);
        response.WriteTo(frame.Span[5..]);
        context.Response.BodyWriter.Advance(5 + size);
        await context.Response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>The length in the frame header (a compressed flag, then 4 bytes big-endian), once 5 bytes are in.</summary>
    private static uint? MessageLength(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer.Length >= 5 ? buffer.Slice(1, 4) : ReadOnlySequence<byte>.Empty);
        return reader.TryReadBigEndian(out int length) ? (uint)length : null;
    }

    /// <summary>The request's single length-prefixed message (unary: the client completes the body after it).</summary>
    private static async Task<T> ReadMessageAsync<T>(PipeReader reader, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (MessageLength(buffer) is { } length && buffer.Length >= 5 + length)
            {
                var message = parser.ParseFrom(buffer.Slice(5, length));
                reader.AdvanceTo(buffer.GetPosition(5 + length));
                return message;
            }
            if (read.IsCompleted)
            {
                throw new InvalidDataException("The request ended before its message.");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}

/// <summary>
/// The floor as a process of its own (this harness, re-run with <see cref="FloorServer.Option"/>), so that its CPU is
/// its own like the gateway's, and with the gateway's GC settings (server GC, a heap per core, concurrent) rather than
/// the harness's single non-concurrent heap. Killed on disposal and on the harness's exit.
/// </summary>
internal sealed class FloorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly OwnedProcess _owned;

    private FloorProcess(Process process, Uri address)
    {
        _process = process;
        _owned = new OwnedProcess(process, "The floor");
        Address = address;
    }

    public Uri Address { get; }

    public TimeSpan? CpuTime => ProcStatus.CpuTime(_process.Id);

    public static async Task<FloorProcess> StartAsync(Uri upstream, CancellationToken cancellationToken)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The harness's own executable is unknown.");
        var start = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(FloorServer).Assembly.Location);
        }
        foreach (var argument in new[] { "load", FloorServer.Option, upstream.ToString(), port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_GCHeapCount"] = Environment.ProcessorCount.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcConcurrent"] = "1";

        var process = Process.Start(start) ?? throw new InvalidOperationException("The floor process did not start.");
        var floor = new FloorProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (line == FloorServer.ReadyLine)
                {
                    process.ErrorDataReceived += (_, e) =>
                    {
                        if (e.Data is not null)
                        {
                            Console.Error.WriteLine($"floor: {e.Data}");
                        }
                    };
                    process.BeginErrorReadLine();
                    return floor;
                }
            }
            throw new InvalidOperationException($"The floor exited before serving: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }
        catch
        {
            await floor.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _owned.DisposeAsync();
}
