using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Server.Streaming;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KrakenGrpc.Tests.Streaming;

/// <summary>
/// The streaming RPCs end to end: gRPC clients -> gateway (hub, pollers) -> HTTP -> emulator, on loopback. The market
/// only moves when a test steps it, so every change a stream sends is one the test caused. Timeouts are generous and
/// request counts are compared as ratios: the tests must hold on a loaded two-core machine.
/// </summary>
public class MarketDataStreamingTests
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private MarketDataService.MarketDataServiceClient _client = null!;

    // The gateway's own hub (it disposes it): its poller count shows which pollers run.
    private MarketDataHub Hub => _gateway.Services.GetRequiredService<MarketDataHub>();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, $"--Streaming:PollInterval={PollInterval}");
        _client = _gateway.MarketData;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public async Task ResetAsync()
    {
        // The previous test's streams are gone once their pollers are: each test starts from an idle hub.
        await Eventually.TrueAsync(() => Hub.ActivePollers == 0, "the previous test's pollers stop");
        _kraken.Faults.Clear();
        _kraken.Requests.Clear();
    }

    [Test]
    public async Task TwentySubscribersOfOneTicker_CostAboutOneUpstreamRequestPerInterval_AndEachGetsTheSnapshotThenChanges()
    {
        // The same two pairs in any order, letter case and repetition are one request, so one poller.
        string[][] spellings = [["XBTUSD", "ETHUSD"], ["ethusd", "xbtusd"], ["ETHUSD", "XBTUSD", "xbtusd"], ["xbtUsd", "EthUsd"]];
        var streams = Enumerable.Range(0, 20)
            .Select(i => new StreamRecorder<StreamTickerResponse>(_client.StreamTicker(new StreamTickerRequest { Pair = { spellings[i % spellings.Length] } })))
            .ToList();
        try
        {
            foreach (var stream in streams)
            {
                var snapshot = await stream.NextAsync(Patience);
                Assert.That(snapshot.Snapshot, Is.True);
                Assert.That(snapshot.Tickers.Keys, Is.EquivalentTo(new[] { "XXBTZUSD", "XETHZUSD" }));
            }
            Assert.That(Hub.ActivePollers, Is.EqualTo(1), "equivalent requests share one poller");

            _kraken.Requests.Clear();
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(4));
            var requests = _kraken.Requests.Count("/0/public/Ticker");
            var intervals = window.Elapsed / PollInterval;
            await TestContext.Out.WriteLineAsync(
                $"20 subscribers: {requests} Ticker requests in {window.Elapsed.TotalSeconds:F2} s = {requests / intervals:F2} per poll interval");
            Assert.That(requests, Is.LessThanOrEqualTo(intervals + 2), "more than one upstream request per interval");
            Assert.That(requests, Is.GreaterThanOrEqualTo(intervals / 4), "the poller stopped polling");

            _kraken.Market.Step();
            var lastTrade = (await _client.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } })).Tickers["XXBTZUSD"].LastTrade;
            foreach (var stream in streams)
            {
                var change = await stream.NextMatchingAsync(m => m.Tickers.TryGetValue("XXBTZUSD", out var t) && t.LastTrade.Equals(lastTrade), Patience);
                Assert.That(change.Snapshot, Is.False);
                Assert.That(change.Tickers.Keys, Is.SubsetOf(new[] { "XXBTZUSD", "XETHZUSD" }));
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task OrderBookThatDidNotChange_IsNotSentAgain()
    {
        await using var stream = new StreamRecorder<StreamOrderBookResponse>(_client.StreamOrderBook(new StreamOrderBookRequest { Pair = "XBTUSD", Count = 10 }));
        var snapshot = await stream.NextAsync(Patience);
        var polled = _kraken.Requests.Count("/0/public/Depth");

        await Eventually.TrueAsync(() => _kraken.Requests.Count("/0/public/Depth") >= polled + 5, "five more polls");
        Assert.That(stream.Pending, Is.Zero, "an unchanged book was sent again");

        _kraken.Market.Step();
        var change = await stream.NextAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Snapshot, Is.True);
            Assert.That(snapshot.Pair, Is.EqualTo("XXBTZUSD"));
            Assert.That(snapshot.Book.Asks, Has.Count.EqualTo(10));
            Assert.That(change.Snapshot, Is.False);
            Assert.That(change.Book, Is.Not.EqualTo(snapshot.Book));
        });
    }

    [Test]
    public async Task SubscriberThatStopsReading_DoesNotDelayTheOthers_AndGetsTheNewestBookWhenItReadsAgain()
    {
        var request = new StreamOrderBookRequest { Pair = "XBTUSD", Count = 500 };
        using var stalled = _client.StreamOrderBook(request);
        Assert.That(await stalled.ResponseStream.MoveNext(), Is.True, "the stalled client's snapshot");
        var healthy = Enumerable.Range(0, 3).Select(_ => new StreamRecorder<StreamOrderBookResponse>(_client.StreamOrderBook(request))).ToList();
        try
        {
            foreach (var stream in healthy)
            {
                await stream.NextAsync(Patience);
            }

            // Each step's book (~14 kB at 200 levels a side) piles up before the stalled client: after a few, its
            // transport window is full and the gateway can no longer write to it.
            var slowest = TimeSpan.Zero;
            DepthBook latest = null!;
            for (var step = 0; step < 15; step++)
            {
                _kraken.Market.Step();
                latest = (await _client.GetOrderBookAsync(new GetOrderBookRequest { Pair = "XBTUSD", Count = 500 })).Books["XXBTZUSD"];
                var started = Stopwatch.StartNew();
                foreach (var stream in healthy)
                {
                    var expected = latest;
                    await stream.NextMatchingAsync(m => m.Book.Equals(expected), TimeSpan.FromSeconds(10));
                }
                slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
            }
            await TestContext.Out.WriteLineAsync($"slowest delivery of a step's book to the reading clients: {slowest.TotalMilliseconds:F0} ms");

            // The stalled client reads again: whatever its transport still held, then the newest book.
            var read = 0;
            using var patience = new CancellationTokenSource(Patience);
            while (await stalled.ResponseStream.MoveNext(patience.Token))
            {
                read++;
                if (stalled.ResponseStream.Current.Book.Equals(latest))
                {
                    break;
                }
            }
            await TestContext.Out.WriteLineAsync($"the stalled client read {read} messages for 15 changes before it had the newest book");
            Assert.That(stalled.ResponseStream.Current.Book, Is.EqualTo(latest));
            Assert.That(Hub.ActivePollers, Is.EqualTo(1));
        }
        finally
        {
            foreach (var stream in healthy)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task SubscribersThatLeave_LeaveNoPollerBehind_AndUpstreamRequestsStop()
    {
        var spreads = Enumerable.Range(0, 3).Select(_ => new StreamRecorder<StreamSpreadsResponse>(_client.StreamSpreads(new StreamSpreadsRequest { Pair = "XBTEUR" }))).ToList();
        var trades = Enumerable.Range(0, 2).Select(_ => new StreamRecorder<StreamTradesResponse>(_client.StreamTrades(new StreamTradesRequest { Pair = "XBTEUR" }))).ToList();
        foreach (var stream in spreads)
        {
            await stream.NextAsync(Patience);
        }
        foreach (var stream in trades)
        {
            await stream.NextAsync(Patience);
        }
        Assert.That(Hub.ActivePollers, Is.EqualTo(2));

        foreach (var stream in spreads)
        {
            await stream.DisposeAsync();
        }
        await Eventually.TrueAsync(() => Hub.ActivePollers == 1, "the spread poller stops after its last subscriber left");

        foreach (var stream in trades)
        {
            await stream.DisposeAsync();
        }
        await Eventually.TrueAsync(() => Hub.ActivePollers == 0, "the trade poller stops after its last subscriber left");

        // A poll that was in flight may still land; after that, silence.
        await Task.Delay(PollInterval * 2);
        _kraken.Requests.Clear();
        await Task.Delay(PollInterval * 5);
        Assert.That(_kraken.Requests.TotalCount, Is.Zero, "a poller kept asking Kraken after its subscribers left");
    }

    [Test]
    public async Task TradeStream_NeverRepeatsOrSkipsATrade_ForAFastAndASlowClient()
    {
        var request = new StreamTradesRequest { Pair = "SOLUSD" };
        await using var fast = new StreamRecorder<StreamTradesResponse>(_client.StreamTrades(request));
        await using var slow = new StreamRecorder<StreamTradesResponse>(_client.StreamTrades(request), pauseAfterEach: PollInterval * 3);
        await fast.NextAsync(Patience);
        await slow.NextAsync(Patience);

        for (var step = 0; step < 12; step++)
        {
            _kraken.Market.Step();
            await Task.Delay(PollInterval * 0.75);
        }
        var tape = (await _client.GetRecentTradesAsync(new GetRecentTradesRequest { Pair = "SOLUSD" })).Trades;
        var newest = tape[^1].TradeId;

        foreach (var (name, stream) in new[] { ("fast", fast), ("slow", slow) })
        {
            await Eventually.TrueAsync(() => stream.Received.SelectMany(m => m.Trades).Any(t => t.TradeId == newest), $"the {name} client gets the newest trade");
            var messages = stream.Received;
            var trades = messages.SelectMany(m => m.Trades).ToList();
            var ids = trades.Select(t => t.TradeId).ToList();
            await TestContext.Out.WriteLineAsync($"{name} client: {messages.Count} messages, {trades.Count} trades");

            Assert.Multiple(() =>
            {
                Assert.That(messages[0].Snapshot, Is.True);
                Assert.That(messages[0].Trades, Has.Count.EqualTo(1000), "the snapshot holds Kraken's last 1000 trades");
                Assert.That(messages.Skip(1).Select(m => m.Snapshot), Has.None.True);
                Assert.That(ids.Zip(ids.Skip(1)).Where(p => p.Second != p.First + 1), Is.Empty, $"{name}: ids not consecutive");
                Assert.That(trades.TakeLast(tape.Count), Is.EqualTo(tape), $"{name}: the trades differ from Kraken's own list");
                Assert.That(messages[^1].Last, Is.Not.Empty);
            });
        }
    }

    [Test]
    public async Task SlowSubscriber_GetsTheTradesOfSeveralPollsMergedIntoOneUpdate()
    {
        // Straight at the hub, so nothing in between (transport buffers) reads for the subscriber: it truly waits.
        using var cancel = new CancellationTokenSource();
        var updates = Hub.Subscribe(MarketDataStreams.Trades(new StreamTradesRequest { Pair = "DOTUSD" }), cancel.Token).GetAsyncEnumerator();
        try
        {
            Assert.That(await updates.MoveNextAsync().AsTask().WaitAsync(Patience), Is.True);
            var snapshot = updates.Current;

            for (var step = 0; step < 4; step++)
            {
                _kraken.Market.Step();
                var polls = _kraken.Requests.Count("/0/public/Trades");
                await Eventually.TrueAsync(() => _kraken.Requests.Count("/0/public/Trades") >= polls + 2, "a poll after the step");
            }
            Assert.That(await updates.MoveNextAsync().AsTask().WaitAsync(Patience), Is.True);
            var merged = updates.Current;
            var tape = (await _client.GetRecentTradesAsync(new GetRecentTradesRequest { Pair = "DOTUSD", Count = 100 })).Trades;
            var expected = tape.Where(t => t.TradeId > snapshot.Trades[^1].TradeId).ToList();

            Assert.Multiple(() =>
            {
                Assert.That(merged.Snapshot, Is.False);
                Assert.That(merged.Trades, Is.EqualTo(expected), "every trade of the four steps, once, in order");
                Assert.That(merged.Trades, Has.Count.GreaterThanOrEqualTo(4), "each step prints at least one trade");
                Assert.That(merged.Last, Is.Not.Empty);
            });
        }
        finally
        {
            await cancel.CancelAsync();
            await updates.DisposeAsync();
        }
    }

    [Test]
    public async Task CandleStream_SendsTheCurrentCandleAgainWhenItChanges()
    {
        await using var stream = new StreamRecorder<StreamCandlesResponse>(
            _client.StreamCandles(new StreamCandlesRequest { Pair = "XBTUSD", Interval = OhlcInterval.OneMinute }));
        var snapshot = await stream.NextAsync(Patience);

        _kraken.Market.Step();
        var current = (await _client.GetCandlesAsync(new GetCandlesRequest { Pair = "XBTUSD", Interval = OhlcInterval.OneMinute })).Candles[^1];
        var change = await stream.NextMatchingAsync(m => m.Candles.Contains(current), Patience);

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Snapshot, Is.True);
            Assert.That(snapshot.Candles, Has.Count.EqualTo(720));
            Assert.That(snapshot.Last, Is.Not.Empty);
            Assert.That(change.Snapshot, Is.False);
            Assert.That(change.Candles, Has.Count.InRange(1, 2), "only the changed candle, and a new one when a minute began");
            Assert.That(change.Candles.Select(c => c.Time.Seconds), Has.All.GreaterThanOrEqualTo(snapshot.Candles[^1].Time.Seconds));
        });
    }

    [Test]
    public async Task SpreadStream_SendsOnlyNewEntries()
    {
        await using var stream = new StreamRecorder<StreamSpreadsResponse>(_client.StreamSpreads(new StreamSpreadsRequest { Pair = "ETHUSD" }));
        var snapshot = await stream.NextAsync(Patience);

        for (var step = 0; step < 5; step++)
        {
            _kraken.Market.Step();
            await Task.Delay(PollInterval);
        }
        var tape = (await _client.GetRecentSpreadsAsync(new GetRecentSpreadsRequest { Pair = "ETHUSD" })).Spreads;
        await Eventually.TrueAsync(() => stream.Received[^1].Spreads.LastOrDefault()?.Equals(tape[^1]) == true, "the newest spread entry arrives");
        var sent = stream.Received.SelectMany(m => m.Spreads).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Snapshot, Is.True);
            Assert.That(snapshot.Spreads, Has.Count.EqualTo(200), "the snapshot holds what Kraken keeps");
            Assert.That(stream.Received.Skip(1).Select(m => m.Snapshot), Has.None.True);
            Assert.That(sent, Is.Unique, "an entry was sent twice");
            Assert.That(sent.TakeLast(tape.Count), Is.EqualTo(tape), "the stream's entries differ from Kraken's own list");
        });
    }

    [TestCase("ticker")]
    [TestCase("trades")]
    public async Task UnknownPair_EndsTheStreamWithNotFound_AndKrakensText(string stream)
    {
        var failure = stream == "ticker"
            ? await EndOf(_client.StreamTicker(new StreamTickerRequest { Pair = { "NOPEUSD" } }))
            : await EndOf(_client.StreamTrades(new StreamTradesRequest { Pair = "NOPEUSD" }));

        Assert.That(failure, Is.Not.Null);
        var info = failure!.ErrorInfo();
        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(info.Reason, Is.EqualTo("UNKNOWN_ASSET_PAIR"));
            Assert.That(info.Metadata["kraken_error"], Is.EqualTo("EQuery:Unknown asset pair"));
        });
        await Eventually.TrueAsync(() => Hub.ActivePollers == 0, "the failed poller is gone");
    }

    private static IEnumerable<TestCaseData> InvalidStreams()
    {
        yield return Invalid("pair", c => c.StreamOrderBook(new StreamOrderBookRequest()));
        yield return Invalid("count", c => c.StreamOrderBook(new StreamOrderBookRequest { Pair = "XBTUSD", Count = 501 }));
        yield return Invalid("interval", c => c.StreamCandles(new StreamCandlesRequest { Pair = "XBTUSD", Interval = (OhlcInterval)7 }));
        yield return Invalid("pair", c => c.StreamTrades(new StreamTradesRequest()));
        yield return Invalid("pair", c => c.StreamSpreads(new StreamSpreadsRequest { Pair = " " }));
    }

    private static TestCaseData Invalid<T>(string field, Func<MarketDataService.MarketDataServiceClient, AsyncServerStreamingCall<T>> open)
        where T : class =>
        new TestCaseData(field, new Func<MarketDataService.MarketDataServiceClient, Task<RpcException?>>(c => EndOf(open(c))))
            .SetName($"InvalidStream_{field}_IsRefusedBeforeSubscribing({typeof(T).Name})");

    [TestCaseSource(nameof(InvalidStreams))]
    public async Task InvalidStreamRequest_IsRefusedBeforeSubscribing_AndNothingIsPolled(string field, Func<MarketDataService.MarketDataServiceClient, Task<RpcException?>> open)
    {
        var failure = await open(_client);

        Assert.That(failure, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(failure!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Does.Contain(field));
            Assert.That(Hub.ActivePollers, Is.Zero);
            Assert.That(_kraken.Requests.TotalCount, Is.Zero, "a request reached Kraken");
        });
    }

    private static IEnumerable<TestCaseData> TransientFaults()
    {
        yield return new TestCaseData(Fault.Status(503) with { Times = 6 }).SetName("TransientFault_Http503_DoesNotEndTheStream");
        yield return new TestCaseData(Fault.KrakenError("EAPI:Rate limit exceeded") with { Times = 2 }).SetName("TransientFault_RateLimit_DoesNotEndTheStream");
        yield return new TestCaseData(Fault.Malformed() with { Times = 2 }).SetName("TransientFault_UnreadableAnswer_DoesNotEndTheStream");
    }

    [TestCaseSource(nameof(TransientFaults))]
    public async Task TransientFault_DoesNotEndTheStream(Fault fault)
    {
        await using var stream = new StreamRecorder<StreamOrderBookResponse>(_client.StreamOrderBook(new StreamOrderBookRequest { Pair = "ETHXBT", Count = 10 }));
        var snapshot = await stream.NextAsync(Patience);

        _kraken.Faults.Inject("/0/public/Depth", fault);
        await Eventually.TrueAsync(() => _kraken.Faults.Remaining("/0/public/Depth") == 0, "the poller meets every injected fault");
        _kraken.Market.Step();
        var change = await stream.NextAsync(TimeSpan.FromSeconds(40));

        Assert.Multiple(() =>
        {
            Assert.That(change.Snapshot, Is.False);
            Assert.That(change.Book, Is.Not.EqualTo(snapshot.Book));
            Assert.That(stream.Ended.IsCompleted, Is.False, "the stream ended");
        });
    }

    [Test]
    public async Task GatewayShutdown_EndsOpenStreamsWithUnavailable_WithoutWaitingForClients()
    {
        var gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, $"--Streaming:PollInterval={PollInterval}");
        using var channel = GrpcChannel.ForAddress(gateway.Address);
        await using var stream = new StreamRecorder<StreamTickerResponse>(
            new MarketDataService.MarketDataServiceClient(channel).StreamTicker(new StreamTickerRequest { Pair = { "XBTUSD" } }));
        await stream.NextAsync(Patience);

        var stopping = Stopwatch.StartNew();
        await gateway.DisposeAsync().AsTask().WaitAsync(Patience);
        var ended = await stream.Ended.WaitAsync(Patience);

        await TestContext.Out.WriteLineAsync($"the gateway stopped in {stopping.ElapsedMilliseconds} ms");
        Assert.Multiple(() =>
        {
            Assert.That(ended?.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "shutdown waited for the stream's client");
        });
    }

    [TestCase("PollInterval", "00:00:00.050")]
    [TestCase("PollInterval", "-00:00:01")]
    [TestCase("PrivatePollFloor", "00:00:00")]
    public void PollIntervalBelow100Milliseconds_StopsStartUp_NamingTheSetting(string setting, string value)
    {
        var failure = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var app = await Server.Hosting.GatewayApplication.CreateAsync(
                ["--urls", "http://127.0.0.1:0", $"--Kraken:BaseUrl={_kraken.BaseAddress}", $"--Streaming:{setting}={value}"]);
            await app.StartAsync();
        })!;

        Assert.That(failure.Message, Does.Contain($"Streaming:{setting} must be at least"));
    }

    private static async Task<RpcException?> EndOf<T>(AsyncServerStreamingCall<T> call)
        where T : class
    {
        await using var stream = new StreamRecorder<T>(call);
        return await stream.Ended.WaitAsync(Patience);
    }
}
