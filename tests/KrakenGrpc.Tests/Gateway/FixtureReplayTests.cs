using System.Text.Json;
using Google.Protobuf;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// The gateway pointed (with Kraken:BaseUrl) at a server that answers with Kraken's documented bytes: every decimal
/// reaches the gRPC caller byte for byte, over the wire.
/// </summary>
public class FixtureReplayTests
{
    private FixtureServer _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kraken = await FixtureServer.StartAsync();
        _gateway = await GatewayHost.StartAsync(_kraken.Address);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Calls()
    {
        yield return Case("Ticker", c => c.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } }).ResponseAsync);
        yield return Case("AssetPairs", c => c.GetAssetPairsAsync(new GetAssetPairsRequest()).ResponseAsync);
        yield return Case("OHLC", c => c.GetCandlesAsync(new GetCandlesRequest { Pair = "XBTUSD", Interval = OhlcInterval.OneMinute }).ResponseAsync);
        yield return Case("Depth", c => c.GetOrderBookAsync(new GetOrderBookRequest { Pair = "XBTUSD", Count = 3 }).ResponseAsync);
        yield return Case("GroupedBook", c => c.GetGroupedBookAsync(new GetGroupedBookRequest { Pair = "BTC/USD", Grouping = 1000 }).ResponseAsync);
        yield return Case("Trades", c => c.GetRecentTradesAsync(new GetRecentTradesRequest { Pair = "XBTUSD" }).ResponseAsync);
        yield return Case("Spread", c => c.GetRecentSpreadsAsync(new GetRecentSpreadsRequest { Pair = "XBTUSD" }).ResponseAsync);
    }

    private static TestCaseData Case<T>(string fixture, Func<MarketDataService.MarketDataServiceClient, Task<T>> call)
        where T : IMessage =>
        new TestCaseData(fixture, new Func<MarketDataService.MarketDataServiceClient, Task<IMessage>>(async c => await call(c)))
            .SetName($"{fixture}_ThroughTheGateway_ReturnsKrakensDecimalTextByteForByte");

    [TestCaseSource(nameof(Calls))]
    public async Task DecimalText_SurvivesTheWholeTrip(string fixture, Func<MarketDataService.MarketDataServiceClient, Task<IMessage>> call)
    {
        var response = await call(_gateway.MarketData);

        using var document = JsonDocument.Parse(Fixtures.Bytes(fixture));
        var expected = MessageText.DecimalStrings(document.RootElement.GetProperty("result"));
        var received = MessageText.Strings(response);
        Assert.That(expected, Is.Not.Empty);
        foreach (var text in expected.Distinct())
        {
            Assert.That(received.Count(t => t == text), Is.GreaterThanOrEqualTo(expected.Count(t => t == text)), $"'{text}' did not arrive from {fixture}");
        }
    }

    [Test]
    public async Task Parameters_AreSentInKrakensNames()
    {
        await _gateway.MarketData.GetOrderBookAsync(new GetOrderBookRequest { Pair = "XBTUSD", Count = 3 });
        await _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD", "ETHUSD" } });
        await _gateway.MarketData.GetCandlesAsync(new GetCandlesRequest { Pair = "XBTUSD", Interval = OhlcInterval.FourHours, Since = "1688671200" });

        Assert.That(_kraken.Requests, Does.Contain("Depth?pair=XBTUSD&count=3")
            .And.Contain("Ticker?pair=XBTUSD%2CETHUSD")
            .And.Contain("OHLC?pair=XBTUSD&interval=240&since=1688671200"));
    }
}
