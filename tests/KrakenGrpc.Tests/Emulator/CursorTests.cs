using System.Globalization;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>
/// Kraken's cursors: passing a result's <c>last</c> back as <c>since</c> returns only what is newer, which is how
/// the gateway's pollers stream updates.
/// </summary>
[TestFixture]
public sealed class CursorTests : EmulatorTestBase
{
    [Test]
    public async Task Trades_SinceLast_ReturnsOnlyTradesAfterAStep()
    {
        var first = await GetResultAsync("0/public/Trades?pair=XBTUSD");
        var last = first.GetProperty("last").GetString()!;
        var newestId = first.GetProperty("XXBTZUSD").EnumerateArray().Max(t => t[6].GetInt64());

        Kraken.Market.Step();
        var next = await GetResultAsync($"0/public/Trades?pair=XBTUSD&since={last}");
        var trades = next.GetProperty("XXBTZUSD").EnumerateArray().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(trades, Is.Not.Empty);
            Assert.That(trades.Select(t => t[6].GetInt64()), Has.All.GreaterThan(newestId));
            Assert.That(trades.Select(t => t[2].GetDecimal() * 1_000_000_000m), Has.All.GreaterThan(decimal.Parse(last, CultureInfo.InvariantCulture)));
            Assert.That(decimal.Parse(next.GetProperty("last").GetString()!, CultureInfo.InvariantCulture), Is.EqualTo(trades[^1][2].GetDecimal() * 1_000_000_000m));
        });
    }

    [Test]
    public async Task Trades_SinceLastWithoutAStep_ReturnsNothingAndKeepsTheCursor()
    {
        var last = (await GetResultAsync("0/public/Trades?pair=ETHUSD")).GetProperty("last").GetString();
        var again = await GetResultAsync($"0/public/Trades?pair=ETHUSD&since={last}");
        Assert.Multiple(() =>
        {
            Assert.That(again.GetProperty("XETHZUSD").GetArrayLength(), Is.Zero);
            Assert.That(again.GetProperty("last").GetString(), Is.EqualTo(last));
        });
    }

    [Test]
    public async Task Trades_TradeIds_RiseByOne()
    {
        Kraken.Market.Step(3);
        var ids = (await GetResultAsync("0/public/Trades?pair=SOLUSD&count=50")).GetProperty("SOLUSD").EnumerateArray().Select(t => t[6].GetInt64()).ToArray();
        Assert.That(ids.Zip(ids.Skip(1), (a, b) => b - a), Has.All.EqualTo(1));
    }

    [Test]
    public async Task Trades_SinceInUnixSeconds_IsAcceptedToo()
    {
        var trades = (await GetResultAsync("0/public/Trades?pair=XBTUSD&count=3")).GetProperty("XXBTZUSD").EnumerateArray().ToArray();
        var seconds = (long)trades[0][2].GetDecimal() - 1;
        var since = await GetResultAsync($"0/public/Trades?pair=XBTUSD&since={seconds}");
        Assert.That(since.GetProperty("XXBTZUSD").EnumerateArray().Select(t => t[2].GetDecimal()), Has.All.GreaterThan(seconds));
    }

    [Test]
    public async Task Spread_SinceLast_ReturnsOnlyEntriesAfterAStep()
    {
        var last = (await GetResultAsync("0/public/Spread?pair=XBTUSD")).GetProperty("last").GetInt64();

        var unchanged = await GetResultAsync($"0/public/Spread?pair=XBTUSD&since={last}");
        Kraken.Market.Step();
        var next = await GetResultAsync($"0/public/Spread?pair=XBTUSD&since={last}");
        var entries = next.GetProperty("XXBTZUSD").EnumerateArray().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(unchanged.GetProperty("XXBTZUSD").GetArrayLength(), Is.Zero);
            Assert.That(entries, Is.Not.Empty);
            Assert.That(entries.Select(e => e[0].GetInt64()), Has.All.GreaterThan(last));
            Assert.That(next.GetProperty("last").GetInt64(), Is.EqualTo(entries[^1][0].GetInt64()));
        });
    }

    [Test]
    public async Task Ohlc_SinceLast_ReturnsOnlyTheCurrentCandle()
    {
        var first = await GetResultAsync("0/public/OHLC?pair=XBTUSD");
        var last = first.GetProperty("last").GetInt64();
        var current = first.GetProperty("XXBTZUSD").EnumerateArray().Last();

        var next = await GetResultAsync($"0/public/OHLC?pair=XBTUSD&since={last}");
        var candles = next.GetProperty("XXBTZUSD").EnumerateArray().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(candles, Has.Length.EqualTo(1));
            Assert.That(candles[0][0].GetInt64(), Is.EqualTo(current[0].GetInt64()));
            Assert.That(last, Is.EqualTo(current[0].GetInt64() - 60), "last points at the newest committed candle");
        });
    }

    [Test]
    public async Task Ohlc_LastCandle_KeepsChangingUntilItsIntervalCloses()
    {
        var before = (await GetResultAsync("0/public/OHLC?pair=ETHUSD&interval=1440")).GetProperty("XETHZUSD").EnumerateArray().Last();
        Kraken.Market.Step();
        var after = (await GetResultAsync("0/public/OHLC?pair=ETHUSD&interval=1440")).GetProperty("XETHZUSD").EnumerateArray().Last();

        Assert.Multiple(() =>
        {
            Assert.That(after[0].GetInt64(), Is.EqualTo(before[0].GetInt64()), "same daily candle");
            Assert.That(after[1].GetString(), Is.EqualTo(before[1].GetString()), "its open stays");
            Assert.That(after[7].GetInt32(), Is.GreaterThan(before[7].GetInt32()), "its trade count grows");
            Assert.That(decimal.Parse(after[6].GetString()!, CultureInfo.InvariantCulture), Is.GreaterThan(decimal.Parse(before[6].GetString()!, CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public async Task Ohlc_WhenTheIntervalCloses_TheCandleIsCommittedAndANewOneStarts()
    {
        var first = await GetResultAsync("0/public/OHLC?pair=SOLEUR");
        var current = first.GetProperty("SOLEUR").EnumerateArray().Last()[0].GetInt64();

        // Each manual step is at least a second after the last, so 61 steps cross a minute boundary.
        Kraken.Market.Step(61);
        var next = await GetResultAsync($"0/public/OHLC?pair=SOLEUR&since={first.GetProperty("last").GetInt64()}");
        var times = next.GetProperty("SOLEUR").EnumerateArray().Select(c => c[0].GetInt64()).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(times[0], Is.EqualTo(current), "the old current candle, now committed");
            Assert.That(times[^1], Is.GreaterThan(current));
            Assert.That(next.GetProperty("last").GetInt64(), Is.GreaterThanOrEqualTo(current));
        });
    }

    [Test]
    public async Task PostTrade_FromLastTs_ReturnsOnlyNewerTrades()
    {
        var first = await GetResultAsync("0/public/PostTrade?symbol=XBT/USD&count=10");
        var lastTs = first.GetProperty("last_ts").GetString()!;
        var none = await GetResultAsync($"0/public/PostTrade?symbol=XBT/USD&from_ts={Uri.EscapeDataString(lastTs)}");

        Kraken.Market.Step();
        var next = await GetResultAsync($"0/public/PostTrade?symbol=XBT/USD&from_ts={Uri.EscapeDataString(lastTs)}");
        var from = DateTimeOffset.Parse(lastTs, CultureInfo.InvariantCulture);

        Assert.Multiple(() =>
        {
            Assert.That(none.GetProperty("count").GetInt32(), Is.Zero);
            Assert.That(next.GetProperty("count").GetInt32(), Is.GreaterThan(0));
            Assert.That(next.GetProperty("trades").EnumerateArray().Select(t => DateTimeOffset.Parse(t.GetProperty("trade_ts").GetString()!, CultureInfo.InvariantCulture)), Has.All.GreaterThan(from));
        });
    }
}
