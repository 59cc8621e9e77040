using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Kraken.Telemetry;
using KrakenGrpc.Server.Hosting;
using KrakenGrpc.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KrakenGrpc.Tests.Observability;

/// <summary>
/// The gateway's Prometheus endpoint, scraped over HTTP/1.1 on its own address after real calls through the emulator:
/// upstream calls by endpoint and outcome, each account's rate budget, open streams and pollers; no key, secret or
/// signature anywhere in the scrape or in a span; nothing of it on the gRPC address.
/// </summary>
public class MetricsEndpointTests
{
    private const string BudgetAccount = "budget";

    private readonly string _defaultKey = $"default-key-{Guid.NewGuid():N}";
    private readonly string _defaultSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private readonly string _budgetKey = $"budget-key-{Guid.NewGuid():N}";
    private readonly string _budgetSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private readonly ConcurrentQueue<Activity> _spans = new();
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private Uri _metricsUrl = null!;
    private HttpClient _http11 = null!;
    private ActivityListener _listener = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Spans are made only when someone listens; this listener stands in for an OTLP exporter.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is KrakenTelemetry.Name or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);

        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.Accounts.Add(new EmulatedAccountOptions(_defaultKey, _defaultSecret));
        options.Accounts.Add(new EmulatedAccountOptions(_budgetKey, _budgetSecret));
        _kraken = await KrakenEmulator.StartAsync(options);
        _metricsUrl = FreeLoopbackUrl();
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress,
            $"--Kraken:ApiKey={_defaultKey}", $"--Kraken:ApiSecret={_defaultSecret}",
            $"--Kraken:Accounts:{BudgetAccount}:ApiKey={_budgetKey}", $"--Kraken:Accounts:{BudgetAccount}:ApiSecret={_budgetSecret}",
            $"--Metrics:Url={_metricsUrl}");
        _http11 = new HttpClient { BaseAddress = _metricsUrl, DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http11.Dispose();
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
        _listener.Dispose();
    }

    [SetUp]
    public void Reset() => _kraken.Faults.Clear();

    [Test]
    public async Task UpstreamCalls_AreCountedByEndpointAndOutcome_WithEveryAttempt()
    {
        await _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } });
        _kraken.Faults.Inject("/0/public/Ticker", Fault.Status(503) with { Times = 3 });
        Assert.ThrowsAsync<RpcException>(async () => await _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } }));
        Assert.ThrowsAsync<RpcException>(async () => await _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "NOSUCHPAIR" } }));

        var scrape = await ScrapeUntilAsync(samples => samples.Series("kraken_upstream_attempts_total", ("endpoint", "Ticker"), ("result", "503")).Any());

        Assert.Multiple(() =>
        {
            Assert.That(Count(scrape, "kraken_upstream_request_duration_seconds_count", ("endpoint", "Ticker"), ("outcome", "ok")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Count(scrape, "kraken_upstream_request_duration_seconds_count", ("endpoint", "Ticker"), ("outcome", "UPSTREAM_SERVER_ERROR")), Is.EqualTo(1));
            Assert.That(Count(scrape, "kraken_upstream_request_duration_seconds_count", ("endpoint", "Ticker"), ("outcome", "UNKNOWN_ASSET_PAIR")), Is.EqualTo(1));
            // The failing read was tried three times (two retries), each attempt counted.
            Assert.That(Count(scrape, "kraken_upstream_attempts_total", ("endpoint", "Ticker"), ("result", "503")), Is.EqualTo(3));
            Assert.That(scrape.Series("kraken_upstream_request_duration_seconds_bucket", ("endpoint", "Ticker"), ("le", "+Inf")), Is.Not.Empty);
            // The HttpClient and ASP.NET Core instrumentations are on too.
            Assert.That(scrape.Series("http_client_request_duration_seconds_count"), Is.Not.Empty);
            Assert.That(scrape.Series("http_server_request_duration_seconds_count"), Is.Not.Empty);
        });
    }

    [Test]
    public async Task PrivateCalls_ShowTheAccountByName_ItsBudgetLevelAndWaits()
    {
        await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest());

        var scrape = await ScrapeUntilAsync(samples => samples.Series("kraken_upstream_request_duration_seconds_count", ("endpoint", "Balance")).Any());

        Assert.Multiple(() =>
        {
            Assert.That(Count(scrape, "kraken_upstream_request_duration_seconds_count", ("account", "default"), ("endpoint", "Balance"), ("outcome", "ok")), Is.GreaterThanOrEqualTo(1));
            Assert.That(scrape.Series("kraken_rate_budget_level", ("account", "default")).Single().Value, Is.GreaterThan(0));
            Assert.That(scrape.Series("kraken_rate_budget_maximum", ("account", "default")).Single().Value, Is.EqualTo(15), "Starter tier");
            Assert.That(scrape.Series("kraken_rate_budget_level", ("account", BudgetAccount)), Is.Not.Empty, "every configured account has a gauge");
            Assert.That(Count(scrape, "kraken_rate_budget_wait_duration_seconds_count", ("account", "default")), Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task BudgetRefusals_AreCountedByAccountAndReason()
    {
        // Ledgers cost 2 of the Starter counter's 15: within a few calls one has to wait longer than its deadline.
        var refused = false;
        var account = new Metadata { { "kraken-account", BudgetAccount } };
        for (var call = 0; call < 12 && !refused; call++)
        {
            try
            {
                await _gateway.Account.GetLedgersInfoAsync(new GetLedgersInfoRequest(), account, deadline: DateTime.UtcNow.AddSeconds(1));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                refused = true;
            }
        }
        Assert.That(refused, Is.True, "the budget never ran out");

        var scrape = await ScrapeUntilAsync(samples => samples.Series("kraken_rate_budget_refusals_total").Any());

        Assert.Multiple(() =>
        {
            Assert.That(Count(scrape, "kraken_rate_budget_refusals_total", ("account", BudgetAccount), ("reason", "RATE_BUDGET_EXHAUSTED")), Is.EqualTo(1));
            Assert.That(Count(scrape, "kraken_upstream_request_duration_seconds_count", ("account", BudgetAccount), ("endpoint", "Ledgers"), ("outcome", "RATE_BUDGET_EXHAUSTED")), Is.EqualTo(1));
            Assert.That(scrape.Series("kraken_rate_budget_level", ("account", BudgetAccount)).Single().Value, Is.GreaterThan(10));
        });
    }

    [Test]
    public async Task OpenStreams_AndTheirPoller_AreGauges_ThatFallWhenTheStreamEnds()
    {
        using (var stop = new CancellationTokenSource())
        {
            using var first = _gateway.MarketData.StreamTicker(new StreamTickerRequest { Pair = { "XBTUSD" } }, cancellationToken: stop.Token);
            using var second = _gateway.MarketData.StreamTicker(new StreamTickerRequest { Pair = { "xbtusd" } }, cancellationToken: stop.Token);
            Assert.That(await first.ResponseStream.MoveNext(stop.Token) && await second.ResponseStream.MoveNext(stop.Token), Is.True);

            var open = await ScrapeUntilAsync(samples => Count(samples, "kraken_stream_subscribers", ("endpoint", "Ticker")) == 2);

            Assert.That(open.Series("kraken_stream_pollers").Single().Value, Is.EqualTo(1), "two subscribers, one poller");
            await stop.CancelAsync();
        }

        var closed = await ScrapeUntilAsync(samples => Count(samples, "kraken_stream_subscribers", ("endpoint", "Ticker")) == 0);

        Assert.That(closed.Series("kraken_stream_pollers").Single().Value, Is.Zero);
    }

    [Test]
    public async Task NoKeySecretOrSignature_IsInTheScrape_OrInAnySpan()
    {
        await _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } });
        await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest());
        await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), new Metadata { { "kraken-account", BudgetAccount } });

        var text = await _http11.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var spans = _spans.ToList();
        var secrets = new[] { _defaultKey, _defaultSecret, _budgetKey, _budgetSecret, "API-Sign", "API-Key", "nonce" };
        var spanText = string.Join('\n', spans.SelectMany(span => span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}").Append(span.DisplayName)));

        Assert.Multiple(() =>
        {
            foreach (var secret in secrets)
            {
                Assert.That(text, Does.Not.Contain(secret).IgnoreCase, "scrape");
                Assert.That(spanText, Does.Not.Contain(secret).IgnoreCase, "spans");
            }
            Assert.That(spans.Any(span => span.Source.Name == KrakenTelemetry.Name
                && (string?)span.GetTagItem("kraken.endpoint") == "Balance" && (string?)span.GetTagItem("kraken.account") == BudgetAccount
                && (string?)span.GetTagItem("kraken.outcome") == KrakenTelemetry.Ok), Is.True, "a span per upstream call, naming the account");
            Assert.That(spans.Any(span => span.Source.Name == "System.Net.Http"), Is.True, "HttpClient spans are children of the gateway's");
        });
    }

    [Test]
    public async Task TheGrpcAddress_DoesNotServeMetrics_AndTheMetricsAddress_ServesNothingElse()
    {
        using var h2c = new HttpClient { BaseAddress = _gateway.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var onGrpc = await h2c.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var apiOnMetrics = await _http11.GetAsync(new Uri("/v1/market/ticker?pair=XBTUSD", UriKind.Relative));
        using var onMetrics = await _http11.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(onGrpc.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(apiOnMetrics.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(onMetrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(onMetrics.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        });
    }

    [Test]
    public async Task AnEmptyMetricsUrl_TurnsTheEndpointOff()
    {
        // GatewayHost passes --Metrics:Url= unless a test gives an address.
        await using var gateway = await GatewayHost.StartAsync(_kraken.BaseAddress);

        Assert.That(Addresses(gateway.Services), Is.EqualTo(new[] { gateway.Address.ToString().TrimEnd('/') }));
    }

    [Test]
    public async Task PortZero_BindsAFreePort_BesideTheGrpcAndJsonHttpAddresses()
    {
        await using var gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, "--Http:Url=http://127.0.0.1:0", "--Metrics:Url=http://127.0.0.1:0");
        var addresses = Addresses(gateway.Services);
        Assert.That(addresses, Has.Count.EqualTo(3), "gRPC, JSON/HTTP, metrics");
        using var http11 = new HttpClient();

        // Endpoints bind in name order: Grpc0, JsonHttp, Metrics.
        var metrics = await http11.GetStringAsync(new Uri($"{addresses[2]}/metrics"));
        using var metricsOnJsonHttp = await http11.GetAsync(new Uri($"{addresses[1]}/metrics"));

        Assert.Multiple(() =>
        {
            Assert.That(metrics, Does.Contain("# TYPE "));
            Assert.That(metricsOnJsonHttp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task WithoutMetricsUrl_TheDefaultIsLoopback9464_BesideTheUrlsAddress()
    {
        // Built, not started: nothing binds the default port, which a developer's gateway may hold.
        await using var app = await GatewayApplication.CreateAsync(["--urls", "http://127.0.0.1:0", $"--Kraken:BaseUrl={_kraken.BaseAddress}"]);

        Assert.Multiple(() =>
        {
            Assert.That(app.Configuration["Kestrel:Endpoints:Metrics:Url"], Is.EqualTo("http://127.0.0.1:9464"));
            Assert.That(app.Configuration["Kestrel:Endpoints:Grpc0:Url"], Is.EqualTo("http://127.0.0.1:0"));
        });
    }

    private static double Count(IEnumerable<ScrapeSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Series(name, labels).Sum(sample => sample.Value);

    // The exporter caches a scrape briefly and gauges are read when scraped: ask again until the expected series shows.
    private async Task<List<ScrapeSample>> ScrapeUntilAsync(Func<List<ScrapeSample>, bool> shows)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var samples = ScrapeText.Parse(await _http11.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
            if (shows(samples) || DateTime.UtcNow > deadline)
            {
                return samples;
            }
            await Task.Delay(100);
        }
    }

    private static List<string> Addresses(IServiceProvider services) =>
        [.. services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];

    private static Uri FreeLoopbackUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}");
    }
}
