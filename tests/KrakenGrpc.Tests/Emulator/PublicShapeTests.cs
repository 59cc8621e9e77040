using System.Text.Json;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>
/// Each public endpoint answers in the shape of Kraken's documented example (fixtures/docs): same keys in the same
/// order, strings where Kraken writes strings (padded to the same decimals), numbers where it writes numbers.
/// </summary>
[TestFixture]
public sealed class PublicShapeTests : EmulatorTestBase
{
    [Test]
    public Task Time_MatchesKrakenExample() => AssertMatchesFixtureAsync("Time.json", "0/public/Time");

    [Test]
    public Task SystemStatus_MatchesKrakenExample() => AssertMatchesFixtureAsync("SystemStatus.json", "0/public/SystemStatus");

    [Test]
    public Task Assets_MatchesKrakenExample() => AssetsMatch("0/public/Assets?asset=XBT,EUR,USD");

    [Test]
    public Task AssetPairs_MatchesKrakenExample() => AssertMatchesFixtureAsync("AssetPairs.json", "0/public/AssetPairs?pair=XETHXXBT,XXBTZUSD");

    [Test]
    public Task Ticker_MatchesKrakenExample() => AssertMatchesFixtureAsync("Ticker.json", "0/public/Ticker?pair=XBTUSD");

    [Test]
    public Task Ohlc_MatchesKrakenExample() => AssertMatchesFixtureAsync("OHLC.json", "0/public/OHLC?pair=XBTUSD");

    [Test]
    public Task Depth_MatchesKrakenExample() => AssertMatchesFixtureAsync("Depth.json", "0/public/Depth?pair=XBTUSD&count=3");

    [Test]
    public Task GroupedBook_MatchesKrakenExample() => AssertMatchesFixtureAsync("GroupedBook.json", "0/public/GroupedBook?pair=BTC/USD&grouping=1000");

    [Test]
    public Task Trades_MatchesKrakenExample() => AssertMatchesFixtureAsync("Trades.json", "0/public/Trades?pair=XBTUSD");

    [Test]
    public Task Spread_MatchesKrakenExample() => AssertMatchesFixtureAsync("Spread.json", "0/public/Spread?pair=XBTUSD");

    [Test]
    public async Task Time_RfcText_IsTheSameInstantAsUnixtime()
    {
        var result = await GetResultAsync("0/public/Time");
        var unix = DateTimeOffset.FromUnixTimeSeconds(result.GetProperty("unixtime").GetInt64());
        Assert.That(result.GetProperty("rfc1123").GetString(), Is.EqualTo(unix.ToString("ddd, dd MMM yy HH:mm:ss '+0000'", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Envelope_IsCompactWithErrorFirst_LikeKraken()
    {
        var body = await Http.GetStringAsync(new Uri("0/public/SystemStatus", UriKind.Relative));
        Assert.That(body, Does.StartWith("{\"error\":[],\"result\":{\"status\":\"online\",\"timestamp\":\""));
    }

    [Test]
    public async Task Ticker_PadsEachPairToItsOwnDecimals()
    {
        var result = await GetResultAsync("0/public/Ticker?pair=XBTUSD,USDTUSD,ETHUSD");
        Assert.Multiple(() =>
        {
            // Kraken keeps its finer legacy precision in Ticker: 5 decimals for XBT/USD and ETH/USD, 8 for USDT/USD.
            Assert.That(result.GetProperty("XXBTZUSD").GetProperty("c")[0].GetString(), Does.Match(@"^\d+\.\d{5}$"));
            Assert.That(result.GetProperty("XETHZUSD").GetProperty("a")[0].GetString(), Does.Match(@"^\d+\.\d{5}$"));
            Assert.That(result.GetProperty("USDTZUSD").GetProperty("b")[0].GetString(), Does.Match(@"^\d+\.\d{8}$"));
            Assert.That(result.GetProperty("XXBTZUSD").GetProperty("v")[1].GetString(), Does.Match(@"^\d+\.\d{8}$"));
        });
    }

    [Test]
    public async Task Ohlc_WritesPricesWithPairDecimals()
    {
        var result = await GetResultAsync("0/public/OHLC?pair=ETHUSD&interval=5");
        var candle = result.GetProperty("XETHZUSD")[0];
        Assert.Multiple(() =>
        {
            Assert.That(candle[1].GetString(), Does.Match(@"^\d+\.\d{2}$"), "ETH/USD has pair_decimals 2");
            Assert.That(candle[6].GetString(), Does.Match(@"^\d+\.\d{8}$"), "volume has lot_decimals 8");
            Assert.That(candle[7].ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(result.GetProperty("last").ValueKind, Is.EqualTo(JsonValueKind.Number));
        });
    }

    [Test]
    public async Task Trades_LastCursor_IsANanosecondString()
    {
        var result = await GetResultAsync("0/public/Trades?pair=XBTUSD&count=5");
        Assert.That(result.GetProperty("last").GetString(), Does.Match(@"^\d{19}$"));
    }

    [Test]
    public async Task Spread_LastCursor_IsANumber()
    {
        var result = await GetResultAsync("0/public/Spread?pair=XBTUSD");
        Assert.That(result.GetProperty("last").ValueKind, Is.EqualTo(JsonValueKind.Number));
    }

    [Test]
    public async Task PreTrade_AnswersTopTenLevelsWithDocumentedFields()
    {
        var result = await GetResultAsync("0/public/PreTrade?symbol=BTC/USD");
        Assert.Multiple(() =>
        {
            Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "symbol", "description", "base_asset", "base_notation", "quote_asset", "quote_notation", "venue", "system", "bids", "asks",
            }));
            Assert.That(result.GetProperty("symbol").GetString(), Is.EqualTo("BTC/USD"));
            Assert.That(result.GetProperty("description").GetString(), Is.EqualTo("Bitcoin / US Dollars"));
            Assert.That(result.GetProperty("bids").GetArrayLength(), Is.EqualTo(10));
            Assert.That(result.GetProperty("asks").GetArrayLength(), Is.EqualTo(10));
        });

        var bid = result.GetProperty("bids")[0];
        Assert.Multiple(() =>
        {
            Assert.That(bid.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "side", "price", "qty", "count", "submission_ts", "publication_ts" }));
            Assert.That(bid.GetProperty("side").GetString(), Is.EqualTo("BUY"));
            Assert.That(result.GetProperty("asks")[0].GetProperty("side").GetString(), Is.EqualTo("SELL"));
            Assert.That(bid.GetProperty("price").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(bid.GetProperty("count").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(bid.GetProperty("publication_ts").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"));
        });
    }

    [Test]
    public async Task PostTrade_AnswersTradesWithDocumentedFields()
    {
        var result = await GetResultAsync("0/public/PostTrade?symbol=ETH/USD&count=3");
        Assert.Multiple(() =>
        {
            Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "last_ts", "count", "trades" }));
            Assert.That(result.GetProperty("count").GetInt32(), Is.EqualTo(3));
            Assert.That(result.GetProperty("trades").GetArrayLength(), Is.EqualTo(3));
        });

        var trade = result.GetProperty("trades")[2];
        Assert.Multiple(() =>
        {
            Assert.That(trade.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "trade_id", "price", "quantity", "symbol", "description", "base_asset", "base_notation", "quote_asset",
                "quote_notation", "trade_venue", "trade_ts", "publication_venue", "publication_ts",
            }));
            Assert.That(trade.GetProperty("trade_id").GetString(), Does.Match("^T[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$"));
            Assert.That(trade.GetProperty("symbol").GetString(), Is.EqualTo("ETH/USD"));
            Assert.That(trade.GetProperty("trade_ts").GetString(), Is.EqualTo(result.GetProperty("last_ts").GetString()));
        });
    }

    private Task AssetsMatch(string uri) => AssertMatchesFixtureAsync("Assets.json", uri);
}
