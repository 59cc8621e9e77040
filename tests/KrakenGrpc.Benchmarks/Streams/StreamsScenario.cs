using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Benchmarks.Streams;

/// <summary>
/// N concurrent StreamTicker subscribers of one pair over loopback, per N a fresh emulator (in this process, its
/// market stepped by <see cref="MarketDriver"/>) and a fresh gateway process. Over a window of whole poll intervals it
/// measures the upstream Ticker requests per interval, the gateway's resident memory, and the delay from the moment
/// the emulator served a changed ticker to each subscriber's receipt of it.
/// </summary>
internal static class StreamsScenario
{
    public const string Usage = StreamsOptions.Usage;

    private const string Pair = "XBTUSD";

    /// <summary>Kestrel's default Http2.MaxStreamsPerConnection: each channel (one connection) carries this many streams.</summary>
    private const int StreamsPerConnection = 100;

    /// <summary>Streams opened at once; the next batch starts when every stream of this one has its snapshot.</summary>
    private const int OpeningBatch = 1_000;

    private static readonly TimeSpan OpeningBatchLimit = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = StreamsOptions.Parse(args);
        var server = GatewayProcess.FindServerAssembly(options.Server);

        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"gateway: dotnet {server}");
        Console.WriteLine($"streams: {string.Join(", ", options.Subscribers)} subscribers of {Pair}, poll interval {options.Interval:c}, window {options.Window.TotalSeconds:0} s");
        Console.WriteLine();

        List<StreamsResult> results = [];
        var failed = false;
        foreach (var subscribers in options.Subscribers)
        {
            try
            {
                var result = await RunOnceAsync(subscribers, options, server, cancellationToken);
                results.Add(result);
                result.PrintDetails(Console.Out);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                failed = true;
                await Console.Error.WriteLineAsync($"{subscribers} subscribers: {e.Message}");
            }
            Console.WriteLine();
        }

        StreamsResult.PrintTable(Console.Out, results);
        return failed ? 1 : 0;
    }

    private static async Task<StreamsResult> RunOnceAsync(int count, StreamsOptions options, string server, CancellationToken cancellationToken)
    {
        Console.WriteLine($"== {count} subscribers ==");
        await using var kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan }, cancellationToken);
        await using var gateway = await GatewayProcess.StartAsync(
            server,
            kraken.BaseAddress,
            [$"--Streaming:PollInterval={options.Interval:c}", "--Logging:LogLevel:Default=Warning"],
            cancellationToken);
        var idleRss = gateway.Rss ?? 0;
        Console.WriteLine($"gateway pid {gateway.Id} at {gateway.Address}, idle RSS {Mb(idleRss):0.0} MB");

        using var pool = new ChannelPool(gateway.Address, count, StreamsPerConnection);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var subscribers = new Subscriber[count];
        var reads = new List<Task>(count);
        try
        {
            var openTime = await OpenAsync(subscribers, reads, pool, stop.Token);
            var openRss = gateway.Rss ?? 0;
            Console.WriteLine($"{count} streams open over {pool.Count} connections in {openTime.TotalSeconds:0.0} s, RSS {Mb(openRss):0.0} MB");

            // Two unmeasured intervals with changes first (warm-up: the first fan-outs JIT and grow buffers).
            var anchor = ClockAnchor.Take();
            var windowStart = DateTimeOffset.UtcNow + (options.Interval * 2);
            var windowEnd = windowStart + options.Window;
            var driver = new MarketDriver(kraken, Pair, options.Interval, seed: count);
            var driving = driver.RunAsync(windowEnd, stop.Token);

            await DelayUntil(windowStart, stop.Token);
            var gatewayCpu0 = gateway.CpuTime;
            var harnessCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long windowPeakRss = 0;
            List<double> rssEverySecond = [];
            var sampled = Stopwatch.StartNew();
            while (DateTimeOffset.UtcNow < windowEnd)
            {
                var rss = gateway.Rss ?? 0;
                windowPeakRss = Math.Max(windowPeakRss, rss);
                if (sampled.Elapsed >= TimeSpan.FromSeconds(rssEverySecond.Count))
                {
                    rssEverySecond.Add(Mb(rss));
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop.Token);
            }
            var steadyRss = gateway.Rss ?? 0;
            windowPeakRss = Math.Max(windowPeakRss, steadyRss);
            // Linux updates VmHWM from per-thread counters lazily, so a VmRSS sample can exceed it slightly.
            var peakRss = Math.Max(gateway.PeakRss ?? 0, windowPeakRss);
            var gatewayCpu = gateway.CpuTime - gatewayCpu0;
            var harnessCpu = Process.GetCurrentProcess().TotalProcessorTime - harnessCpu0;
            await driving;

            await DrainAsync(kraken, driver.Changes, subscribers, options.Interval, stop.Token);
            var requests = kraken.Requests.For(MarketDriver.TickerPath);

            // The loops end before their arrivals are read.
            await stop.CancelAsync();
            await EndAsync(reads);
            var outcome = Deliveries.Match(subscribers.Select(s => s.Arrivals).ToArray(), driver.Changes, requests, anchor, windowStart, windowEnd);
            var polls = requests.Where(r => r.ReceivedAt >= windowStart && r.ReceivedAt < windowEnd).Select(r => r.ReceivedAt).ToList();
            var failures = subscribers.Where(s => s.Failure is not null).Select(s => s.Failure!).ToList();

            return new StreamsResult(
                count, options.Interval, options.Window, pool.Count, openTime,
                polls.Count, options.Window / options.Interval,
                polls.Count > 1 ? (polls[^1] - polls[0]) / (polls.Count - 1) : TimeSpan.Zero,
                Mb(idleRss), Mb(openRss), Mb(steadyRss), Mb(windowPeakRss), Mb(peakRss), rssEverySecond,
                outcome, failures.Count, failures.FirstOrDefault(),
                gatewayCpu is { } g ? g / options.Window : double.NaN,
                harnessCpu / options.Window,
                gateway.RecentOutput());
        }
        finally
        {
            await stop.CancelAsync();
            await EndAsync(reads);
        }
    }

    /// <summary>Opens the streams batch by batch, each batch complete (every snapshot in) before the next.</summary>
    private static async Task<TimeSpan> OpenAsync(Subscriber[] subscribers, List<Task> reads, ChannelPool pool, CancellationToken stop)
    {
        var started = Stopwatch.StartNew();
        for (var first = 0; first < subscribers.Length; first += OpeningBatch)
        {
            var last = Math.Min(first + OpeningBatch, subscribers.Length);
            for (var i = first; i < last; i++)
            {
                subscribers[i] = new Subscriber();
                reads.Add(subscribers[i].ReadAsync(pool.ClientFor(i), Pair, stop));
            }

            var batch = subscribers[first..last];
            try
            {
                await Task.WhenAll(batch.Select(s => s.Opened)).WaitAsync(OpeningBatchLimit, stop);
            }
            catch (TimeoutException)
            {
                var waiting = batch.Count(s => !s.Opened.IsCompleted);
                throw new TimeoutException($"{waiting} of streams {first}..{last - 1} had no snapshot after {OpeningBatchLimit.TotalSeconds:0} s.");
            }

            var refused = batch.Where(s => s.Failure is not null).ToList();
            if (refused.Count > 0)
            {
                throw new InvalidOperationException($"{refused.Count} of streams {first}..{last - 1} failed to open; the first: {refused[0].Failure}");
            }
        }
        return started.Elapsed;
    }

    /// <summary>
    /// After the window: waits for the poll that serves the last change and then until every subscriber has a
    /// message from after the last step, or three intervals (late deliveries still count, missing ones then are).
    /// </summary>
    private static async Task DrainAsync(KrakenEmulator kraken, List<Change> changes, Subscriber[] subscribers, TimeSpan interval, CancellationToken stop)
    {
        if (changes.Count == 0)
        {
            return;
        }
        var lastStep = changes[^1];
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < interval * 3)
        {
            var served = kraken.Requests.For(MarketDriver.TickerPath).Any(r => r.ReceivedAt >= lastStep.SteppedAt);
            if (served && subscribers.All(s => s.LastArrival > lastStep.SteppedTimestamp))
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), stop);
        }
    }

    private static async Task EndAsync(List<Task> reads)
    {
        // Every loop ends on the harness's cancellation; a loop that does not within 30 s is abandoned, not awaited.
        try
        {
            await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync($"{reads.Count(r => !r.IsCompleted)} stream loops did not end within 30 s of cancellation.");
        }
    }

    private static async Task DelayUntil(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var wait = instant - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>
    /// The client side: one channel (so one HTTP/2 connection, as each carries at most Kestrel's stream limit) per
    /// <c>perConnection</c> subscribers, each over its own handler. Multiple connections stay allowed so that a
    /// channel asked for more streams than the server's limit opens another connection instead of queuing them.
    /// </summary>
    private sealed class ChannelPool : IDisposable
    {
        private readonly GrpcChannel[] _channels;
        private readonly MarketDataService.MarketDataServiceClient[] _clients;
        private readonly int _perConnection;

        public ChannelPool(Uri address, int subscribers, int perConnection)
        {
            _perConnection = perConnection;
            _channels = new GrpcChannel[(subscribers + perConnection - 1) / perConnection];
            for (var i = 0; i < _channels.Length; i++)
            {
                _channels[i] = GrpcChannel.ForAddress(address, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler
                    {
                        EnableMultipleHttp2Connections = true,
                        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                        ConnectTimeout = TimeSpan.FromSeconds(10),
                    },
                    DisposeHttpClient = true,
                });
            }
            _clients = [.. _channels.Select(channel => new MarketDataService.MarketDataServiceClient(channel))];
        }

        public int Count => _channels.Length;

        public MarketDataService.MarketDataServiceClient ClientFor(int subscriber) => _clients[subscriber / _perConnection];

        public void Dispose()
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }
        }
    }
}

/// <summary>What one run measured, and how it prints.</summary>
internal sealed record StreamsResult(
    int Subscribers,
    TimeSpan Interval,
    TimeSpan Window,
    int Connections,
    TimeSpan OpenTime,
    int UpstreamRequests,
    double Intervals,
    TimeSpan MeanPollGap,
    double IdleRssMb,
    double OpenRssMb,
    double SteadyRssMb,
    double WindowPeakRssMb,
    double PeakRssMb,
    IReadOnlyList<double> RssEverySecondMb,
    DeliveryOutcome Deliveries,
    int FailedStreams,
    string? FirstFailure,
    double GatewayCpuShare,
    double HarnessCpuShare,
    string GatewayOutput)
{
    /// <summary>
    /// Upstream requests per poll interval: the interval over the mean gap between the window's requests (a window
    /// boundary falling just before or after a poll would otherwise add or drop a whole request).
    /// </summary>
    public double RequestsPerInterval => MeanPollGap > TimeSpan.Zero ? Interval / MeanPollGap : UpstreamRequests / Intervals;

    public void PrintDetails(TextWriter output)
    {
        var d = Deliveries;
        output.WriteLine(Invariant($"upstream: {UpstreamRequests} Ticker requests in {Window.TotalSeconds:0} s ({Intervals:0} intervals), mean gap {MeanPollGap.TotalMilliseconds:0} ms = {RequestsPerInterval:0.00} per interval"));
        output.WriteLine(Invariant($"RSS MB: idle {IdleRssMb:0.0}, streams open {OpenRssMb:0.0}, end of window {SteadyRssMb:0.0}, window peak {WindowPeakRssMb:0.0}, process peak (VmHWM) {PeakRssMb:0.0}"));
        output.WriteLine($"RSS MB each second of the window: {string.Join(' ', RssEverySecondMb.Select(mb => mb.ToString("0", CultureInfo.InvariantCulture)))}");
        output.WriteLine(Invariant($"changes in window: {d.Changes}; deliveries {d.Delivered} of {d.Expected}, missing {d.Missing}, unmatched messages {d.Unmatched}"));
        output.WriteLine(Invariant($"delay ms (served upstream -> received): p50 {d.P50Ms:0.0}, p90 {d.P90Ms:0.0}, p99 {d.P99Ms:0.0}, max {d.MaxMs:0.0}; first subscriber p50 {d.FirstP50Ms:0.0}, last subscriber p50 {d.LastP50Ms:0.0}"));
        output.WriteLine($"per change, delay p50/max ms: {string.Join(' ', d.PerChange.Select(c => Invariant($"{c.P50Ms:0}/{c.MaxMs:0}")))}");
        output.WriteLine(Invariant($"CPU (share of one core over the window): gateway {GatewayCpuShare:0.00}, harness {HarnessCpuShare:0.00}"));
        if (FailedStreams > 0)
        {
            output.WriteLine($"failed streams: {FailedStreams}, the first: {FirstFailure}");
        }
        if (GatewayOutput.Length > 0)
        {
            output.WriteLine($"gateway output (last lines):{Environment.NewLine}{GatewayOutput}");
        }
    }

    public static void PrintTable(TextWriter output, IReadOnlyList<StreamsResult> results)
    {
        output.WriteLine("| subscribers | interval | upstream req/interval | RSS MB steady / peak | delay p50 / p99 / max ms | missing deliveries |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var d = r.Deliveries;
            output.WriteLine(Invariant($"| {r.Subscribers:N0} | {r.Interval.TotalSeconds:0.###} s | {r.RequestsPerInterval:0.00} | {r.SteadyRssMb:0} / {r.PeakRssMb:0} | {d.P50Ms:0.0} / {d.P99Ms:0.0} / {d.MaxMs:0.0} | {d.Missing} of {d.Expected} |"));
        }
        output.WriteLine("targets: 1.00 upstream request per interval; <= 200 MB for 10 000 streams; p99 <= 50 ms");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
