using Grpc.Core;
using Grpc.Net.Client;
using KrakenGrpc.Contracts.Spot.V1;

namespace KrakenGrpc.Benchmarks.Load;

/// <summary>
/// Unary throughput and latency over loopback, in one run, against one upstream that is never the bottleneck (nginx
/// serving Kraken's documented answers from files): <i>direct</i> GETs to the upstream; the <i>floor</i> (the least
/// work any gRPC gateway must do, <see cref="FloorServer"/>); and GetTicker through the gateway with public-read
/// coalescing off and on, each with identical requests and with distinct ones (no two in flight alike). Then private
/// calls through the account lane: SubmitOrder with validate (signed, never charged to a rate budget) at MaxInFlight
/// 1 and 32, and GetAccountBalance, which the lane's REST call counter limits.
/// </summary>
internal static class LoadScenario
{
    public const string Usage = LoadOptions.Usage;

    private const string Pair = "XBTUSD";

    /// <summary>Kestrel's default Http2.MaxStreamsPerConnection: one channel (connection) per this many workers.</summary>
    private const int CallsPerConnection = 100;

    private static readonly int[] PrivateConcurrency = [1, 32];

    // A sandbox-like key: any 64 bytes in base64 pass the gateway's start-up check, and nginx checks no signature.
    private static readonly string[] PrivateAccount =
        ["--Kraken:ApiKey=bench", $"--Kraken:ApiSecret={Convert.ToBase64String([.. Enumerable.Range(0, 64).Select(i => (byte)i)])}", "--Kraken:Tier=Pro"];

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length > 0 && args[0] == FloorServer.Option)
        {
            return await FloorServer.RunAsync(args, cancellationToken);
        }

        var options = LoadOptions.Parse(args);
        var server = GatewayProcess.FindServerAssembly(options.Server);
        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"load average before the run: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"gateway: dotnet {server}{string.Concat(options.GatewaySettings.Select(setting => " " + setting))}");
        Console.WriteLine($"concurrency {string.Join(", ", options.Concurrency)}; warm-up {options.WarmUp.TotalSeconds:0} s, window {options.Window.TotalSeconds:0} s per run");

        await using var upstream = await StartUpstreamAsync(cancellationToken);
        Console.WriteLine($"upstream: {upstream.Description}");
        Console.WriteLine();

        List<LoadResult> results = [];
        void Report(LoadResult result)
        {
            results.Add(result);
            PrintRun(result);
        }
        Meters Meters(Func<TimeSpan?> serverCpu) => new(upstream.RequestCount, serverCpu, upstream.CpuTime);

        // Direct: HTTP/1.1 GETs from a pooled client, as the gateway and the floor make them.
        using (var direct = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan }) { BaseAddress = upstream.BaseAddress })
        {
            foreach (var concurrency in options.Concurrency)
            {
                Report(await ClosedLoop.RunAsync("direct", concurrency, async (_, token) =>
                {
                    using var answer = await direct.GetAsync($"/0/public/Ticker?pair={Pair}", token);
                    answer.EnsureSuccessStatusCode();
                    return CallOutcome.Answered;
                }, Meters(() => null), options.WarmUp, options.Window, cancellationToken));
            }
        }

        await using (var floor = await FloorProcess.StartAsync(upstream.BaseAddress, cancellationToken))
        {
            foreach (var concurrency in options.Concurrency)
            {
                using var clients = new ClientPool(floor.Address, concurrency);
                Report(await ClosedLoop.RunAsync("floor", concurrency, Ticker(clients, distinct: false), Meters(() => floor.CpuTime), options.WarmUp, options.Window, cancellationToken));
            }
        }

        foreach (var (label, coalesce) in new[] { ("gateway, coalescing off", false), ("gateway, coalescing on", true) })
        {
            await using var gateway = await GatewayProcess.StartAsync(server, upstream.BaseAddress,
                ["--Logging:LogLevel:Default=Warning", $"--PublicReads:Coalesce={(coalesce ? "true" : "false")}", .. options.GatewaySettings], cancellationToken);
            foreach (var concurrency in options.Concurrency)
            {
                using var clients = new ClientPool(gateway.Address, concurrency);
                Report(await ClosedLoop.RunAsync($"{label}, identical", concurrency, Ticker(clients, distinct: false), Meters(() => gateway.CpuTime), options.WarmUp, options.Window, cancellationToken));
                Report(await ClosedLoop.RunAsync($"{label}, distinct", concurrency, Ticker(clients, distinct: true), Meters(() => gateway.CpuTime), options.WarmUp, options.Window, cancellationToken));
            }
            PrintGatewayOutput(gateway);
        }

        if (options.PrivateLane && upstream.ServesPrivateCalls)
        {
            foreach (var maxInFlight in new[] { 1, 32 })
            {
                await using var gateway = await GatewayProcess.StartAsync(server, upstream.BaseAddress,
                    ["--Logging:LogLevel:Default=Warning", .. PrivateAccount, $"--Kraken:MaxInFlight={maxInFlight}", .. options.GatewaySettings], cancellationToken);
                foreach (var concurrency in PrivateConcurrency)
                {
                    using var clients = new ClientPool(gateway.Address, concurrency);
                    Report(await ClosedLoop.RunAsync($"SubmitOrder validate, MaxInFlight {maxInFlight}", concurrency, ValidateOrder(clients), Meters(() => gateway.CpuTime), options.WarmUp, options.Window, cancellationToken));
                }
                if (maxInFlight == 1)
                {
                    // Last on this gateway: it spends the key's REST call counter, which only refills at 1 point a second.
                    foreach (var concurrency in PrivateConcurrency)
                    {
                        using var clients = new ClientPool(gateway.Address, concurrency);
                        Report(await ClosedLoop.RunAsync("GetAccountBalance (2 s deadline)", concurrency, Balance(clients), Meters(() => gateway.CpuTime), options.WarmUp, options.Window, cancellationToken));
                    }
                }
                PrintGatewayOutput(gateway);
            }
        }
        else if (options.PrivateLane)
        {
            Console.WriteLine("private runs SKIPPED: the emulator checks signatures and the bench key is not its account.");
        }

        Console.WriteLine();
        PrintTable(results);
        PrintTargets(results);
        return results.Any(r => r.Failures > 0) ? 1 : 0;
    }

    private static async Task<IUpstream> StartUpstreamAsync(CancellationToken cancellationToken)
    {
        var fixtures = FindFixtures();
        if (NginxUpstream.Find() is { } nginx)
        {
            return await NginxUpstream.StartAsync(nginx, fixtures, cancellationToken);
        }
        const string Warning = "!!! nginx is not installed (apt-get install -y nginx): FALLING BACK TO THE EMULATOR. Its figures are NOT comparable with nginx's: it runs in this process, costs the harness CPU, and is slower than nginx. !!!";
        Console.WriteLine(Warning);
        await Console.Error.WriteLineAsync(Warning);
        return await EmulatorUpstream.StartAsync(cancellationToken);
    }

    /// <summary>Kraken's documented answers: KRAKEN_FIXTURES, else /work/shared/kraken/fixtures/docs.</summary>
    private static string FindFixtures()
    {
        var directory = Environment.GetEnvironmentVariable("KRAKEN_FIXTURES") is { Length: > 0 } configured ? configured : "/work/shared/kraken/fixtures/docs";
        return File.Exists(Path.Combine(directory, "Ticker.json"))
            ? directory
            : throw new FileNotFoundException($"Kraken's documented answers (Ticker.json, Balance.json, ...) are not in {directory}; set KRAKEN_FIXTURES to their directory.");
    }

    /// <summary>GetTicker; distinct: each worker asks for a pair of its own, so no two calls in flight are alike.</summary>
    private static Func<int, CancellationToken, Task<CallOutcome>> Ticker(ClientPool clients, bool distinct) => async (worker, token) =>
    {
        var request = new GetTickerRequest { Pair = { distinct ? $"XBT{Letters(worker)}USD" : Pair } };
        await clients.MarketData(worker).GetTickerAsync(request, cancellationToken: token);
        return CallOutcome.Answered;
    };

    private static Func<int, CancellationToken, Task<CallOutcome>> ValidateOrder(ClientPool clients) => async (worker, token) =>
    {
        await clients.Orders(worker).SubmitOrderAsync(new SubmitOrderRequest
        {
            Pair = Pair,
            Type = OrderSide.Buy,
            Ordertype = OrderType.Limit,
            Volume = "0.01",
            Price = "40000",
            Validate = true,
        }, cancellationToken: token);
        return CallOutcome.Answered;
    };

    /// <summary>GetAccountBalance with a 2 s deadline: past the REST call counter's burst, calls that cannot get budget in time are refused.</summary>
    private static Func<int, CancellationToken, Task<CallOutcome>> Balance(ClientPool clients) => async (worker, token) =>
    {
        try
        {
            await clients.Account(worker).GetAccountBalanceAsync(new GetAccountBalanceRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: token);
            return CallOutcome.Answered;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            // The refusal carries RetryInfo; a real client would wait that long. Here it only counts.
            await Task.Delay(50, token);
            return CallOutcome.Refused;
        }
    };

    private static string Letters(int n)
    {
        Span<char> letters = stackalloc char[3];
        for (var i = 2; i >= 0; i--)
        {
            letters[i] = (char)('A' + (n % 26));
            n /= 26;
        }
        return new string(letters);
    }

    private static void PrintRun(LoadResult r)
    {
        var refused = r.Refused > 0 ? $"; refused {r.Refused}" : string.Empty;
        var failed = r.Failures > 0 ? $"; FAILED {r.Failures}, first: {r.FirstFailure}" : string.Empty;
        Console.WriteLine(LoadResult.Invariant(
            $"{r.Scenario}, c={r.Concurrency}: {r.RequestsPerSecond:0} req/s, p50 {r.P50Ms:0.000} ms, p99 {r.P99Ms:0.000} ms; upstream {r.UpstreamRequests} requests; CPU µs/call: server {Format(r.ServerCpuPerCallUs)}, harness {r.HarnessCpuPerCallUs:0}, nginx {Format(r.UpstreamCpuPerCallUs)}/request{refused}{failed}"));
    }

    private static void PrintGatewayOutput(GatewayProcess gateway)
    {
        if (gateway.RecentOutput() is { Length: > 0 } output)
        {
            Console.WriteLine($"gateway output (last lines):{Environment.NewLine}{output}");
        }
    }

    private static void PrintTable(IReadOnlyList<LoadResult> results)
    {
        Console.WriteLine("| scenario | concurrency | req/s | p50 ms | p99 ms | ratio to floor | upstream requests | server CPU µs/call |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.OrderBy(r => r.Scenario.StartsWith("direct", StringComparison.Ordinal) || r.Scenario.StartsWith("floor", StringComparison.Ordinal) || r.Scenario.StartsWith("gateway", StringComparison.Ordinal) ? 0 : 1).ThenBy(r => r.Concurrency))
        {
            var floor = Floor(results, r.Concurrency);
            var ratio = floor is not null && r.Scenario != "direct" && !IsPrivate(r) ? LoadResult.Invariant($"{r.RequestsPerSecond / floor.RequestsPerSecond:0.00}") : "—";
            var answered = r.Refused > 0 ? LoadResult.Invariant($" (+{r.Refused / r.Window.TotalSeconds:0}/s refused)") : string.Empty;
            Console.WriteLine(LoadResult.Invariant(
                $"| {r.Scenario} | {r.Concurrency} | {r.RequestsPerSecond:0}{answered} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {ratio} | {r.UpstreamRequests} | {Format(r.ServerCpuPerCallUs)} |"));
        }
    }

    private static void PrintTargets(IReadOnlyList<LoadResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("targets:");
        var floor32 = Floor(results, 32);
        foreach (var (scenario, target) in new[]
        {
            ("gateway, coalescing off, identical", 0.85), ("gateway, coalescing off, distinct", 0.85),
            ("gateway, coalescing on, identical", 1.0), ("gateway, coalescing on, distinct", 1.0),
        })
        {
            if (floor32 is not null && Find(results, scenario, 32) is { } r)
            {
                var ratio = r.RequestsPerSecond / floor32.RequestsPerSecond;
                Console.WriteLine(LoadResult.Invariant($"  {scenario}, c=32: {ratio:0.00} x floor (target >= {target:0.00}) {(ratio >= target ? "✔" : "✘")}"));
            }
        }
        if (Find(results, "direct", 1) is { } direct)
        {
            foreach (var r in results.Where(r => r.Concurrency == 1 && r.Scenario != "direct" && !IsPrivate(r)))
            {
                var added = r.P99Ms - direct.P99Ms;
                var check = r.Scenario.StartsWith("gateway", StringComparison.Ordinal) ? (added <= 1.0 ? " (target <= 1 ms) ✔" : " (target <= 1 ms) ✘") : string.Empty;
                Console.WriteLine(LoadResult.Invariant($"  p99 added over direct at c=1, {r.Scenario}: {added:0.000} ms{check}"));
            }
        }
    }

    private static LoadResult? Floor(IReadOnlyList<LoadResult> results, int concurrency) => Find(results, "floor", concurrency);

    private static LoadResult? Find(IReadOnlyList<LoadResult> results, string scenario, int concurrency) =>
        results.FirstOrDefault(r => r.Scenario == scenario && r.Concurrency == concurrency);

    private static bool IsPrivate(LoadResult r) => !(r.Scenario.StartsWith("gateway", StringComparison.Ordinal) || r.Scenario is "floor" or "direct");

    private static string Format(double? value) => value is { } v ? LoadResult.Invariant($"{v:0}") : "—";

    /// <summary>
    /// One channel (an HTTP/2 connection, more if a channel is asked for more streams than the server allows) per
    /// <see cref="CallsPerConnection"/> workers, each over its own handler.
    /// </summary>
    private sealed class ClientPool : IDisposable
    {
        private readonly GrpcChannel[] _channels;
        private readonly MarketDataService.MarketDataServiceClient[] _marketData;
        private readonly OrdersService.OrdersServiceClient[] _orders;
        private readonly AccountService.AccountServiceClient[] _account;

        public ClientPool(Uri address, int workers)
        {
            _channels = new GrpcChannel[(workers + CallsPerConnection - 1) / CallsPerConnection];
            for (var i = 0; i < _channels.Length; i++)
            {
                _channels[i] = GrpcChannel.ForAddress(address, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler
                    {
                        EnableMultipleHttp2Connections = true,
                        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                    },
                    DisposeHttpClient = true,
                });
            }
            // Built once: a client per call would add the harness's allocations to every measured call.
            _marketData = [.. _channels.Select(c => new MarketDataService.MarketDataServiceClient(c))];
            _orders = [.. _channels.Select(c => new OrdersService.OrdersServiceClient(c))];
            _account = [.. _channels.Select(c => new AccountService.AccountServiceClient(c))];
        }

        public MarketDataService.MarketDataServiceClient MarketData(int worker) => _marketData[worker / CallsPerConnection];

        public OrdersService.OrdersServiceClient Orders(int worker) => _orders[worker / CallsPerConnection];

        public AccountService.AccountServiceClient Account(int worker) => _account[worker / CallsPerConnection];

        public void Dispose()
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }
        }
    }
}
