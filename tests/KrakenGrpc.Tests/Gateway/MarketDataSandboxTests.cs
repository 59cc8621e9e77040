using Google.Protobuf;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Server.Hosting;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>MarketDataService end to end: gRPC client -> gateway -> HTTP -> emulator, all on loopback.</summary>
public class MarketDataSandboxTests
{
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private MarketDataService.MarketDataServiceClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress);
        _client = _gateway.MarketData;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _kraken.Faults.Clear();
        _kraken.Requests.Clear();
    }

    private static IEnumerable<TestCaseData> EveryRpc()
    {
        yield return Rpc("GetServerTime", c => c.GetServerTimeAsync(new GetServerTimeRequest()).ResponseAsync, r => r.ServerTime.Seconds > 0);
        yield return Rpc("GetSystemStatus", c => c.GetSystemStatusAsync(new GetSystemStatusRequest()).ResponseAsync, r => r.Status == SystemStatus.Online);
        yield return Rpc("GetAssetInfo", c => c.GetAssetInfoAsync(new GetAssetInfoRequest { Asset = { "XBT", "ETH" } }).ResponseAsync,
            r => r.Assets.ContainsKey("XXBT") && r.Assets["XXBT"].AlternateName == "XBT" && r.Assets.ContainsKey("XETH"));
        yield return Rpc("GetAssetPairs", c => c.GetAssetPairsAsync(new GetAssetPairsRequest()).ResponseAsync,
            r => r.Pairs.TryGetValue("XXBTZUSD", out var p) && p.WebsocketName == "XBT/USD" && p.TakerFeeTiers.Count > 0 && p.MinOrderVolume.Length > 0);
        yield return Rpc("GetTicker", c => c.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD", "ETH/USD" } }).ResponseAsync,
            r => r.Tickers.Count == 2 && r.Tickers["XXBTZUSD"].Ask.Price.Contains('.', StringComparison.Ordinal));
        yield return Rpc("GetCandles", c => c.GetCandlesAsync(new GetCandlesRequest { Pair = "XBTUSD", Interval = OhlcInterval.FifteenMinutes }).ResponseAsync,
            r => r.Pair == "XXBTZUSD" && r.Candles.Count > 0 && r.Last.Length > 0);
        yield return Rpc("GetOrderBook", c => c.GetOrderBookAsync(new GetOrderBookRequest { Pair = "ETHXBT", Count = 5 }).ResponseAsync,
            r => r.Books.Single().Value.Asks.Count == 5 && r.Books.Single().Value.Bids.Count == 5);
        yield return Rpc("GetGroupedBook", c => c.GetGroupedBookAsync(new GetGroupedBookRequest { Pair = "XBTUSD", Depth = 10, Grouping = 5 }).ResponseAsync,
            r => r.Bids.Count > 0 && r.Asks.Count > 0 && r.Grouping == 5);
        yield return Rpc("GetRecentTrades", c => c.GetRecentTradesAsync(new GetRecentTradesRequest { Pair = "SOLEUR", Count = 10 }).ResponseAsync,
            r => r.Pair == "SOLEUR" && r.Trades.Count == 10 && r.Trades.All(t => t.TradeId > 0 && t.Side != PublicTradeSide.Unspecified));
        yield return Rpc("GetRecentSpreads", c => c.GetRecentSpreadsAsync(new GetRecentSpreadsRequest { Pair = "XBTEUR" }).ResponseAsync,
            r => r.Spreads.Count > 0 && r.Last.Length > 0);
        yield return Rpc("GetPreTradeData", c => c.GetPreTradeDataAsync(new GetPreTradeDataRequest { Symbol = "BTC/USD" }).ResponseAsync,
            r => r.Bids.Count > 0 && r.Asks.Count > 0);
        yield return Rpc("GetPostTradeData", c => c.GetPostTradeDataAsync(new GetPostTradeDataRequest { Count = 5 }).ResponseAsync,
            r => r.Trades.Count == 5 && r.LastTs.Length > 0);
    }

    private static TestCaseData Rpc<T>(string name, Func<MarketDataService.MarketDataServiceClient, Task<T>> call, Func<T, bool> hasData)
        where T : IMessage =>
        new TestCaseData(new Func<MarketDataService.MarketDataServiceClient, Task<bool>>(async c => hasData(await call(c))))
            .SetName($"{name}_AgainstTheSandbox_ReturnsData");

    [TestCaseSource(nameof(EveryRpc))]
    public async Task EveryMarketDataRpc_ReturnsData(Func<MarketDataService.MarketDataServiceClient, Task<bool>> callAndCheck)
    {
        Assert.That(await callAndCheck(_client), Is.True);
    }

    [Test]
    public void UnknownPair_IsNotFound_WithKrakensErrorTextInTheDetails()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await _client.GetTickerAsync(new GetTickerRequest { Pair = { "NOPEUSD" } }))!;
        var info = failure.ErrorInfo();

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(info.Domain, Is.EqualTo("api.kraken.com"));
            Assert.That(info.Reason, Is.EqualTo("UNKNOWN_ASSET_PAIR"));
            Assert.That(info.Metadata["kraken_error"], Is.EqualTo("EQuery:Unknown asset pair"));
            Assert.That(info.Metadata["endpoint"], Is.EqualTo("Ticker"));
        });
    }

    private static IEnumerable<TestCaseData> InvalidRequests()
    {
        yield return Invalid("count", c => c.GetOrderBookAsync(new GetOrderBookRequest { Pair = "XBTUSD", Count = 501 }).ResponseAsync);
        yield return Invalid("pair", c => c.GetOrderBookAsync(new GetOrderBookRequest()).ResponseAsync);
        yield return Invalid("pair", c => c.GetCandlesAsync(new GetCandlesRequest { Interval = OhlcInterval.OneDay }).ResponseAsync);
        yield return Invalid("interval", c => c.GetCandlesAsync(new GetCandlesRequest { Pair = "XBTUSD", Interval = (OhlcInterval)7 }).ResponseAsync);
        yield return Invalid("since", c => c.GetCandlesAsync(new GetCandlesRequest { Pair = "XBTUSD", Since = "yesterday" }).ResponseAsync);
        yield return Invalid("count", c => c.GetRecentTradesAsync(new GetRecentTradesRequest { Pair = "XBTUSD", Count = 0 }).ResponseAsync);
        yield return Invalid("depth", c => c.GetGroupedBookAsync(new GetGroupedBookRequest { Pair = "XBTUSD", Depth = 7 }).ResponseAsync);
        yield return Invalid("grouping", c => c.GetGroupedBookAsync(new GetGroupedBookRequest { Pair = "XBTUSD", Grouping = 2 }).ResponseAsync);
        yield return Invalid("pair", c => c.GetRecentSpreadsAsync(new GetRecentSpreadsRequest()).ResponseAsync);
        yield return Invalid("symbol", c => c.GetPreTradeDataAsync(new GetPreTradeDataRequest { Symbol = "X" }).ResponseAsync);
        yield return Invalid("count", c => c.GetPostTradeDataAsync(new GetPostTradeDataRequest { Count = 1001 }).ResponseAsync);
        yield return Invalid("info", c => c.GetAssetPairsAsync(new GetAssetPairsRequest { Info = (AssetPairsInfo)9 }).ResponseAsync);
        yield return Invalid("country_code", c => c.GetAssetPairsAsync(new GetAssetPairsRequest { CountryCode = "USA" }).ResponseAsync);
    }

    private static TestCaseData Invalid(string field, Func<MarketDataService.MarketDataServiceClient, Task> call) =>
        new TestCaseData(field, call).SetName($"Invalid_{field}_IsRefusedBeforeKraken({field})");

    [TestCaseSource(nameof(InvalidRequests))]
    public void InvalidInput_IsRefusedWithAFieldViolation_AndNothingGoesUpstream(string field, Func<MarketDataService.MarketDataServiceClient, Task> call)
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await call(_client))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("INVALID_REQUEST"));
            Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Does.Contain(field));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero, "a request reached Kraken");
        });
    }

    [Test]
    public async Task ReadThatMeetsA500_IsRetriedAndSucceeds()
    {
        _kraken.Faults.Inject("/0/public/Ticker", Fault.Status(500));

        var response = await _client.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } });

        Assert.Multiple(() =>
        {
            Assert.That(response.Tickers, Contains.Key("XXBTZUSD"));
            Assert.That(_kraken.Requests.Count("/0/public/Ticker"), Is.EqualTo(2));
        });
    }

    [TestCase("EService:Unavailable")]
    [TestCase("EService:Busy")]
    [TestCase("EGeneral:Too many requests")]
    public async Task ReadThatMeetsATransientKrakenError_IsRetriedAndSucceeds(string krakenError)
    {
        _kraken.Faults.Inject("/0/public/Depth", Fault.KrakenError(krakenError));

        var response = await _client.GetOrderBookAsync(new GetOrderBookRequest { Pair = "XBTUSD", Count = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(response.Books, Has.Count.EqualTo(1));
            Assert.That(_kraken.Requests.Count("/0/public/Depth"), Is.EqualTo(2));
        });
    }

    [Test]
    public void PersistentServerErrors_EndUnavailable_AfterTheConfiguredRetries()
    {
        _kraken.Faults.Inject("/0/public/Time", Fault.Status(503) with { Times = 10 });

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _client.GetServerTimeAsync(new GetServerTimeRequest()))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("UPSTREAM_SERVER_ERROR"));
            Assert.That(failure.RetryInfo(), Is.Not.Null);
            Assert.That(_kraken.Requests.Count("/0/public/Time"), Is.EqualTo(3), "one attempt and two retries");
        });
    }

    [Test]
    public void PermanentKrakenError_IsNotRetried()
    {
        _kraken.Faults.Inject("/0/public/Assets", Fault.KrakenError("EGeneral:Permission denied") with { Times = 5 });

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _client.GetAssetInfoAsync(new GetAssetInfoRequest()))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EGeneral:Permission denied"));
            Assert.That(_kraken.Requests.Count("/0/public/Assets"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AnswerCutShort_IsAskedAgain_ForARead()
    {
        _kraken.Faults.Inject("/0/public/Spread", Fault.Malformed());
        var sent = _kraken.Requests.Count("/0/public/Spread");

        var spreads = await _client.GetRecentSpreadsAsync(new GetRecentSpreadsRequest { Pair = "XBTUSD" });

        Assert.Multiple(() =>
        {
            Assert.That(spreads.Spreads, Is.Not.Empty);
            Assert.That(_kraken.Requests.Count("/0/public/Spread"), Is.EqualTo(sent + 2));
        });
    }

    [Test]
    public void AnswerCutShortEveryTime_IsInternal_NotACrash()
    {
        // One attempt and the gateway's two read retries (GatewayHost sets Kraken:MaxReadRetries=2).
        _kraken.Faults.Inject("/0/public/Spread", Fault.Malformed() with { Times = 3 });

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _client.GetRecentSpreadsAsync(new GetRecentSpreadsRequest { Pair = "XBTUSD" }))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Internal));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("UNREADABLE_RESPONSE"));
        });
    }

    [Test]
    public void CallersDeadline_EndsTheCall_WhileKrakenIsStillSilent()
    {
        _kraken.Faults.Inject("/0/public/SystemStatus", Fault.Delay(TimeSpan.FromSeconds(5)));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetSystemStatusAsync(new GetSystemStatusRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300)))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "the call outlived the caller's deadline");
        });
    }

    [Test]
    public async Task SandboxSwitch_StartsTheEmbeddedEmulator_AndServesMarketData()
    {
        await using var app = await GatewayApplication.CreateAsync(["--sandbox", "--urls", "http://127.0.0.1:0", "--Metrics:Url=", "--Logging:LogLevel:Default=Error"]);
        await app.StartAsync();
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(app.Urls.First());

        var ticker = await new MarketDataService.MarketDataServiceClient(channel).GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } });

        Assert.That(ticker.Tickers["XXBTZUSD"].LastTrade.Price, Is.Not.Empty);
        await app.StopAsync();
    }
}
