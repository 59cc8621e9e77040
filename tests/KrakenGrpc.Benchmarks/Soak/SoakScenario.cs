using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Benchmarks.Soak;

/// <summary>
/// A long run of mixed load against a gateway process in front of the emulator, with faults injected all along:
/// public unary calls at a steady rate, market-data streams that reconnect when they end, private calls (orders
/// placed and cancelled, balances) through one account's lane. It prints the outcomes by RPC and status, the
/// gateway's memory at start and end, and whether any order exists twice at the emulator.
/// </summary>
internal static class SoakScenario
{
    public const string Usage = "soak [--minutes 10] [--server <KrakenGrpc.Server.dll>]";

    private static readonly string[] Pairs = ["XBTUSD", "ETHUSD", "XBTEUR"];
    private static readonly TimeSpan FaultEvery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);
    private const int PublicCallsPerSecond = 100;
    private const int TickerStreams = 60;
    private const int BookStreams = 20;

    // What goes wrong, in turn: transient upstream failures on reads, lost answers on writes, Kraken's own refusals.
    private static readonly (string Path, Func<Fault> Fault)[] FaultPlan =
    [
        ("/0/public/Ticker", () => Fault.Status(502)),
        ("/0/private/Balance", () => Fault.KrakenError("EService:Busy")),
        ("/0/private/AddOrder", () => Fault.LostAnswer(500)),
        ("/0/public/Depth", () => Fault.Delay(TimeSpan.FromSeconds(3))),
        ("/0/private/OpenOrders", () => Fault.KrakenError("EAPI:Invalid nonce")),
        ("/0/public/Ticker", () => Fault.Malformed()),
        ("/0/private/CancelOrder", () => Fault.Status(503)),
        ("/0/private/AddOrder", () => Fault.Status(502)),
        ("/0/public/Time", () => Fault.Status(500) with { Times = 3 }),
    ];

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var (duration, serverPath) = ParseOptions(args);
        var server = GatewayProcess.FindServerAssembly(serverPath);
        var key = $"soak-{Guid.NewGuid():N}";
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"soak: {duration.TotalMinutes:0.#} min; {PublicCallsPerSecond} public calls/s, {TickerStreams} ticker + {BookStreams} book streams, 2 private workers; a fault every {FaultEvery.TotalSeconds:0} s");

        var emulatorOptions = new KrakenEmulatorOptions { PriceTickInterval = TimeSpan.FromSeconds(1) };
        emulatorOptions.Accounts.Add(new EmulatedAccountOptions(key, secret) { Tier = "Pro", Balances = new Dictionary<string, decimal> { ["ZUSD"] = 100_000_000m, ["ZEUR"] = 100_000_000m } });
        await using var kraken = await KrakenEmulator.StartAsync(emulatorOptions, cancellationToken);
        await using var gateway = await GatewayProcess.StartAsync(server, kraken.BaseAddress,
            [$"--Kraken:ApiKey={key}", $"--Kraken:ApiSecret={secret}", "--Kraken:Tier=Pro", "--Logging:LogLevel:Default=Error"], cancellationToken);
        using var channel = GrpcChannel.ForAddress(gateway.Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });

        var outcomes = new Outcomes();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var watch = Stopwatch.StartNew();
        var startRss = gateway.Rss ?? 0;
        Console.WriteLine($"gateway pid {gateway.Id}, RSS at start {Mb(startRss):0.0} MB");

        List<Task> load =
        [
            PublicLoadAsync(new MarketDataService.MarketDataServiceClient(channel), outcomes, stop.Token),
            .. Enumerable.Range(0, TickerStreams).Select(i => StreamAsync("StreamTicker", ct => new MarketDataService.MarketDataServiceClient(channel).StreamTicker(new StreamTickerRequest { Pair = { Pairs[i % Pairs.Length] } }, cancellationToken: ct).ResponseStream, outcomes, stop.Token)),
            .. Enumerable.Range(0, BookStreams).Select(i => StreamAsync("StreamOrderBook", ct => new MarketDataService.MarketDataServiceClient(channel).StreamOrderBook(new StreamOrderBookRequest { Pair = Pairs[i % Pairs.Length], Count = 10 }, cancellationToken: ct).ResponseStream, outcomes, stop.Token)),
            .. Enumerable.Range(0, 2).Select(worker => PrivateLoadAsync(new OrdersService.OrdersServiceClient(channel), new AccountService.AccountServiceClient(channel), kraken, outcomes, worker, stop.Token)),
            InjectFaultsAsync(kraken, stop.Token),
            ReportAsync(gateway, outcomes, watch, stop.Token),
        ];
        await Task.WhenAll(load);
        cancellationToken.ThrowIfCancellationRequested();

        var endRss = gateway.Rss ?? 0;
        var orders = kraken.Accounts[key];
        var placed = orders.OpenOrders.Concat(orders.ClosedOrders).Where(o => o.ClOrdId is not null).ToList();
        var twice = placed.GroupBy(o => o.ClOrdId).Count(g => g.Count() > 1);
        Console.WriteLine();
        Console.WriteLine($"ran {watch.Elapsed.TotalMinutes:0.0} min; upstream requests {kraken.Requests.TotalCount:N0}; gateway CPU {gateway.CpuTime?.TotalSeconds:0} s");
        Console.WriteLine($"gateway RSS: start {Mb(startRss):0.0} MB, end {Mb(endRss):0.0} MB, peak {Mb(gateway.PeakRss ?? 0):0.0} MB");
        Console.WriteLine($"orders at the emulator with a cl_ord_id: {placed.Count:N0}; placed twice: {twice}");
        Console.WriteLine();
        outcomes.Print(Console.Out);
        return twice == 0 ? 0 : 1;
    }

    private static async Task PublicLoadAsync(MarketDataService.MarketDataServiceClient client, Outcomes outcomes, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / PublicCallsPerSecond));
        var random = new Random(7);
        var inFlight = new List<Task>();
        while (await Tick(tick, stop))
        {
            var pair = Pairs[random.Next(Pairs.Length)];
            inFlight.Add((random.Next(3) switch
            {
                0 => outcomes.TimeAsync("GetTicker", () => client.GetTickerAsync(new GetTickerRequest { Pair = { pair } }, deadline: Deadline(5)).ResponseAsync),
                1 => outcomes.TimeAsync("GetOrderBook", () => client.GetOrderBookAsync(new GetOrderBookRequest { Pair = pair, Count = 25 }, deadline: Deadline(5)).ResponseAsync),
                _ => outcomes.TimeAsync("GetServerTime", () => client.GetServerTimeAsync(new GetServerTimeRequest(), deadline: Deadline(5)).ResponseAsync),
            }));
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
    }

    private static async Task StreamAsync<T>(string name, Func<CancellationToken, IAsyncStreamReader<T>> open, Outcomes outcomes, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var stream = open(stop);
                while (await stream.MoveNext(stop))
                {
                    outcomes.Count($"{name} message");
                }
                outcomes.Count($"{name} ended OK");
            }
            catch (RpcException e) when (!stop.IsCancellationRequested)
            {
                outcomes.Count($"{name} ended {e.StatusCode}");
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException && stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task PrivateLoadAsync(
        OrdersService.OrdersServiceClient orders, AccountService.AccountServiceClient account, KrakenEmulator kraken, Outcomes outcomes, int worker, CancellationToken stop)
    {
        var random = new Random(100 + worker);
        while (!stop.IsCancellationRequested)
        {
            var pair = Pairs[random.Next(Pairs.Length)];
            var price = decimal.Round(kraken.Market.LastPrice(pair) * 0.8m, 1).ToString(CultureInfo.InvariantCulture);
            var placed = await outcomes.TimeAsync("SubmitOrder", () => orders.SubmitOrderAsync(
                new SubmitOrderRequest { Pair = pair, Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.01", Price = price }, deadline: Deadline(20)).ResponseAsync);
            await outcomes.TimeAsync("GetAccountBalance", () => account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), deadline: Deadline(20)).ResponseAsync);
            await outcomes.TimeAsync("GetOpenOrders", () => orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), deadline: Deadline(20)).ResponseAsync);
            if (placed is { Txids.Count: > 0 })
            {
                await outcomes.TimeAsync("CancelOrder", () => orders.CancelOrderAsync(new CancelOrderRequest { Txid = placed.Txids[0] }, deadline: Deadline(20)).ResponseAsync);
            }
        }
    }

    private static async Task InjectFaultsAsync(KrakenEmulator kraken, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(FaultEvery);
        var next = 0;
        while (await Tick(tick, stop))
        {
            var (path, fault) = FaultPlan[next++ % FaultPlan.Length];
            kraken.Faults.Inject(path, fault());
        }
    }

    private static async Task ReportAsync(GatewayProcess gateway, Outcomes outcomes, Stopwatch watch, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(ReportEvery);
        while (await Tick(tick, stop))
        {
            Console.WriteLine($"{watch.Elapsed:mm\\:ss}  RSS {Mb(gateway.Rss ?? 0):0.0} MB  CPU {gateway.CpuTime?.TotalSeconds:0} s  calls {outcomes.Total:N0}  failures {outcomes.Failures:N0}");
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static DateTime Deadline(int seconds) => DateTime.UtcNow.AddSeconds(seconds);

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);

    private static (TimeSpan Duration, string? Server) ParseOptions(string[] args)
    {
        var minutes = 10.0;
        string? server = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--minutes" when double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m is > 0 and <= 600:
                    minutes = m;
                    break;
                case "--server":
                    server = args[i + 1];
                    break;
                default:
                    throw new ArgumentException($"Unknown option or bad value: {args[i]} {args[i + 1]}");
            }
        }
        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"{args[^1]} needs a value.");
        }
        return (TimeSpan.FromMinutes(minutes), server);
    }

    /// <summary>Outcomes by RPC and status code, and latency of the unary calls.</summary>
    private sealed class Outcomes
    {
        private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);
        private long _total;
        private long _failures;

        public long Total => Interlocked.Read(ref _total);

        public long Failures => Interlocked.Read(ref _failures);

        public void Count(string what) => _counts.AddOrUpdate(what, 1, (_, n) => n + 1);

        public async Task<T?> TimeAsync<T>(string rpc, Func<Task<T>> call)
            where T : class
        {
            var watch = Stopwatch.StartNew();
            Interlocked.Increment(ref _total);
            try
            {
                var result = await call();
                Count($"{rpc} OK");
                _latencies.GetOrAdd(rpc, _ => []).Add(watch.Elapsed.TotalMilliseconds);
                return result;
            }
            catch (RpcException e)
            {
                Interlocked.Increment(ref _failures);
                var reason = e.Trailers.GetValueBytes("grpc-status-details-bin") is { } details
                    ? Google.Rpc.Status.Parser.ParseFrom(details).Details.Select(d => d.TryUnpack<Google.Rpc.ErrorInfo>(out var info) ? info.Reason : null).FirstOrDefault(r => r is not null)
                    : null;
                Count($"{rpc} {e.StatusCode}{(reason is null ? string.Empty : $" {reason}")}");
                return null;
            }
        }

        public void Print(TextWriter output)
        {
            output.WriteLine("| outcome | count |");
            output.WriteLine("|---|---:|");
            foreach (var (what, count) in _counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"| {what} | {count:N0} |");
            }
            output.WriteLine();
            output.WriteLine("| unary RPC | OK calls | p50 ms | p99 ms |");
            output.WriteLine("|---|---:|---:|---:|");
            foreach (var (rpc, bag) in _latencies.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                var sorted = bag.Order().ToArray();
                output.WriteLine($"| {rpc} | {sorted.Length:N0} | {sorted[sorted.Length / 2]:0.0} | {sorted[(int)(sorted.Length * 0.99)]:0.0} |");
            }
        }
    }
}
