using System.Globalization;
using System.Net;
using System.Text.Json;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>The simulated market: plausible, seeded, on tick, and moving on each step or tick.</summary>
[TestFixture]
public sealed class MarketSimulationTests : EmulatorTestBase
{
    [Test]
    public void StartAsync_BindsAFreeLoopbackPort()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Kraken.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(Kraken.BaseAddress.Port, Is.GreaterThan(0));
            Assert.That(Kraken.BaseAddress.AbsolutePath, Is.EqualTo("/"));
        });
    }

    [Test]
    public async Task Prices_StartPlausible()
    {
        var result = await GetResultAsync("0/public/Ticker?pair=XBTUSD,ETHUSD,USDTUSD");
        Assert.Multiple(() =>
        {
            Assert.That(LastPrice(result, "XXBTZUSD"), Is.InRange(70_000m, 105_000m));
            Assert.That(LastPrice(result, "XETHZUSD"), Is.InRange(2_000m, 4_000m));
            Assert.That(LastPrice(result, "USDTZUSD"), Is.InRange(0.99m, 1.01m));
        });
    }

    [Test]
    public async Task Step_PrintsNewTradesForEveryPair()
    {
        var before = await GetResultAsync("0/public/Ticker");
        Kraken.Market.Step();
        var after = await GetResultAsync("0/public/Ticker");

        foreach (var pair in after.EnumerateObject())
        {
            Assert.That(pair.Value.GetProperty("t")[1].GetInt32(), Is.GreaterThan(before.GetProperty(pair.Name).GetProperty("t")[1].GetInt32()), pair.Name);
        }
    }

    [Test]
    public async Task Step_KeepsEveryPriceOnItsTickSize()
    {
        Kraken.Market.Step(20);
        var pairs = await GetResultAsync("0/public/AssetPairs");
        var tickers = await GetResultAsync("0/public/Ticker");

        foreach (var pair in pairs.EnumerateObject())
        {
            var tick = decimal.Parse(pair.Value.GetProperty("tick_size").GetString()!, CultureInfo.InvariantCulture);
            var ticker = tickers.GetProperty(pair.Name);
            foreach (var price in new[] { ticker.GetProperty("a")[0], ticker.GetProperty("b")[0], ticker.GetProperty("c")[0] })
            {
                Assert.That(decimal.Parse(price.GetString()!, CultureInfo.InvariantCulture) % tick, Is.Zero, $"{pair.Name} {price}");
            }
        }
    }

    [Test]
    public async Task Step_MovesPrices()
    {
        var before = await GetResultAsync("0/public/Ticker");
        Kraken.Market.Step(10);
        var after = await GetResultAsync("0/public/Ticker");
        var moved = after.EnumerateObject().Count(p => LastPrice(after, p.Name) != LastPrice(before, p.Name));
        Assert.That(moved, Is.GreaterThan(0));
    }

    [Test]
    public async Task SameSeed_GivesTheSamePrices()
    {
        await using var one = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { Seed = 7, PriceTickInterval = Timeout.InfiniteTimeSpan });
        await using var two = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { Seed = 7, PriceTickInterval = Timeout.InfiniteTimeSpan });
        one.Market.Step(5);
        two.Market.Step(5);

        Assert.That(one.Market.PairKeys.Select(one.Market.LastPrice), Is.EqualTo(two.Market.PairKeys.Select(two.Market.LastPrice)));
    }

    [Test]
    public async Task DifferentSeed_GivesDifferentPrices()
    {
        await using var other = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { Seed = 8, PriceTickInterval = Timeout.InfiniteTimeSpan });
        Assert.That(other.Market.PairKeys.Select(other.Market.LastPrice), Is.Not.EqualTo(Kraken.Market.PairKeys.Select(Kraken.Market.LastPrice)));
    }

    [Test]
    public async Task PriceTicker_MovesTheMarketWithoutSteps()
    {
        await using var ticking = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = TimeSpan.FromMilliseconds(50) });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ticking.Market.StepCount < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.That(ticking.Market.StepCount, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public async Task SystemStatus_ReportsTheMarketsStatus()
    {
        Kraken.Market.SystemStatus = "maintenance";
        try
        {
            var result = await GetResultAsync("0/public/SystemStatus");
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("maintenance"));
        }
        finally
        {
            Kraken.Market.SystemStatus = "online";
        }
    }

    [Test]
    public async Task Time_FollowsTheMarketClock()
    {
        Kraken.Market.Step(5);
        var result = await GetResultAsync("0/public/Time");
        Assert.That(result.GetProperty("unixtime").GetInt64(), Is.EqualTo(Kraken.Market.Now.ToUnixTimeSeconds()).Within(1));
    }

    [Test]
    public async Task HttpControl_Step_MovesTheMarket()
    {
        var before = Kraken.Market.StepCount;
        using var response = await Http.PostAsync(Relative("_emulator/step?count=3"), null);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Kraken.Market.StepCount, Is.EqualTo(before + 3));
            Assert.That(document.RootElement.GetProperty("steps").GetInt64(), Is.EqualTo(before + 3));
        });
    }

    [Test]
    public async Task DisposeAsync_TwiceIsHarmless()
    {
        var emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        await emulator.DisposeAsync();
        Assert.That(async () => await emulator.DisposeAsync(), Throws.Nothing);
    }

    private static decimal LastPrice(JsonElement ticker, string pair) =>
        decimal.Parse(ticker.GetProperty(pair).GetProperty("c")[0].GetString()!, CultureInfo.InvariantCulture);
}
