using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// Identical public calls in flight together cost Kraken one request; distinct ones each their own; with coalescing
/// off every call is its own request. The emulator delays each Ticker answer so the calls surely overlap.
/// </summary>
public class PublicReadCoalescingTests
{
    private const int Callers = 64;
    // Long enough that every caller has joined before the answer comes, even on a loaded machine.
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(2);

    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private GatewayHost _uncoalesced = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress);
        _uncoalesced = await GatewayHost.StartAsync(_kraken.BaseAddress, "--PublicReads:Coalesce=false");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _uncoalesced.DisposeAsync();
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _kraken.Faults.Clear();
        _kraken.Requests.Clear();
    }

    [Test]
    public async Task SixtyFourIdenticalTickerCalls_CauseOneUpstreamRequest_AndAllGetTheAnswer()
    {
        // Every Ticker request is slow, not only the first: once (in a full CI run) a request that was not one of these
        // took the single slow answer, the 64 calls did not overlap and two requests went up.
        _kraken.Faults.Inject("/0/public/Ticker", Fault.Delay(SlowAnswer) with { Times = Callers });

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ =>
            _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } }).ResponseAsync));

        Assert.Multiple(() =>
        {
            Assert.That(_kraken.Requests.For("/0/public/Ticker").Count(r => r.Query.Contains("XBTUSD", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(answers.Select(a => a.Tickers.Values.Single().LastTrade.Price).Distinct().Count(), Is.EqualTo(1));
            Assert.That(answers[0].Tickers.Values.Single().LastTrade.Price, Is.Not.Empty);
        });
    }

    [Test]
    public async Task DistinctParameters_AreNotShared()
    {
        _kraken.Faults.Inject("/0/public/Depth", Fault.Delay(SlowAnswer) with { Times = 8 });

        await Task.WhenAll(Enumerable.Range(1, 8).Select(count =>
            _gateway.MarketData.GetOrderBookAsync(new GetOrderBookRequest { Pair = "XBTUSD", Count = count }).ResponseAsync));

        Assert.That(_kraken.Requests.Count("/0/public/Depth"), Is.EqualTo(8));
    }

    [Test]
    public async Task WithCoalescingOff_EveryCallIsItsOwnRequest()
    {
        _kraken.Faults.Inject("/0/public/Ticker", Fault.Delay(SlowAnswer) with { Times = 8 });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _uncoalesced.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } }).ResponseAsync));

        Assert.That(_kraken.Requests.Count("/0/public/Ticker"), Is.EqualTo(8));
    }

    [Test]
    public async Task OneCallerGivingUp_DoesNotFailTheOthersSharingItsRequest()
    {
        _kraken.Faults.Inject("/0/public/Ticker", Fault.Delay(SlowAnswer));
        using var impatient = new CancellationTokenSource();
        var givingUp = _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "ETHUSD" } }, cancellationToken: impatient.Token).ResponseAsync;
        await Eventually.TrueAsync(() => _kraken.Requests.Count("/0/public/Ticker") == 1, "the shared request reached Kraken");

        var patient = _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "ETHUSD" } }).ResponseAsync;
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await impatient.CancelAsync();

        var cancelled = Assert.ThrowsAsync<RpcException>(async () => await givingUp)!;
        var answer = await patient;
        Assert.Multiple(() =>
        {
            Assert.That(cancelled.StatusCode, Is.EqualTo(StatusCode.Cancelled));
            Assert.That(answer.Tickers, Has.Count.EqualTo(1));
            Assert.That(_kraken.Requests.Count("/0/public/Ticker"), Is.EqualTo(1));
        });
    }
}
