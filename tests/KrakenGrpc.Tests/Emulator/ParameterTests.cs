using System.Globalization;
using System.Net;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>Each documented parameter does what Kraken's reference says; values outside its rules are refused.</summary>
[TestFixture]
public sealed class ParameterTests : EmulatorTestBase
{
    private static decimal Dec(string? text) => decimal.Parse(text!, CultureInfo.InvariantCulture);

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(15)]
    [TestCase(30)]
    [TestCase(60)]
    [TestCase(240)]
    [TestCase(1440)]
    [TestCase(10080)]
    [TestCase(21600)]
    public async Task Ohlc_DocumentedInterval_SpacesCandlesByThatInterval(int interval)
    {
        var result = await GetResultAsync($"0/public/OHLC?pair=XBTUSD&interval={interval}");
        var times = result.GetProperty("XXBTZUSD").EnumerateArray().Select(c => c[0].GetInt64()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(times, Is.Not.Empty);
            Assert.That(times.All(t => t % (interval * 60L) == 0), Is.True, "candles start on interval boundaries");
            Assert.That(times.Zip(times.Skip(1), (a, b) => b - a), Has.All.EqualTo(interval * 60L));
        });
    }

    [TestCase("2")]
    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("7")]
    [TestCase("abc")]
    public async Task Ohlc_UndocumentedInterval_AnswersInvalidArguments(string interval)
    {
        Assert.That(await GetErrorAsync($"0/public/OHLC?pair=XBTUSD&interval={interval}"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task Ohlc_ReturnsAtMost720Candles()
    {
        var result = await GetResultAsync("0/public/OHLC?pair=XBTUSD&interval=1");
        Assert.That(result.GetProperty("XXBTZUSD").GetArrayLength(), Is.EqualTo(720));
    }

    [Test]
    public async Task Ohlc_Candle_HasHighAndLowAroundOpenAndClose()
    {
        var result = await GetResultAsync("0/public/OHLC?pair=ETHUSD&interval=15");
        foreach (var candle in result.GetProperty("XETHZUSD").EnumerateArray())
        {
            decimal open = Dec(candle[1].GetString()), high = Dec(candle[2].GetString()), low = Dec(candle[3].GetString()), close = Dec(candle[4].GetString());
            Assert.That(high >= Math.Max(open, close) && low <= Math.Min(open, close), Is.True, candle.ToString());
        }
    }

    [Test]
    public async Task Depth_Count_LimitsLevelsPerSide()
    {
        var result = await GetResultAsync("0/public/Depth?pair=XBTUSD&count=7");
        var book = result.GetProperty("XXBTZUSD");
        Assert.Multiple(() =>
        {
            Assert.That(book.GetProperty("asks").GetArrayLength(), Is.EqualTo(7));
            Assert.That(book.GetProperty("bids").GetArrayLength(), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task Depth_DefaultCount_Is100()
    {
        var result = await GetResultAsync("0/public/Depth?pair=XBTUSD");
        Assert.That(result.GetProperty("XXBTZUSD").GetProperty("asks").GetArrayLength(), Is.EqualTo(100));
    }

    [TestCase("0")]
    [TestCase("501")]
    [TestCase("ten")]
    public async Task Depth_CountOutsideOneTo500_AnswersInvalidArguments(string count)
    {
        Assert.That(await GetErrorAsync($"0/public/Depth?pair=XBTUSD&count={count}"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task Depth_Book_IsSortedOutwardAndNotCrossed()
    {
        var book = (await GetResultAsync("0/public/Depth?pair=SOLUSD&count=50")).GetProperty("SOLUSD");
        var asks = book.GetProperty("asks").EnumerateArray().Select(l => Dec(l[0].GetString())).ToArray();
        var bids = book.GetProperty("bids").EnumerateArray().Select(l => Dec(l[0].GetString())).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(asks, Is.Ordered.Ascending.And.Unique);
            Assert.That(bids, Is.Ordered.Descending.And.Unique);
            Assert.That(bids[0], Is.LessThan(asks[0]));
        });
    }

    [Test]
    public async Task GroupedBook_Grouping_PutsLevelsOnMultiplesOfGroupingTicks()
    {
        // XBT/USD ticks are 0.1, so grouping 100 makes 10-dollar levels: bids round down, asks up.
        var result = await GetResultAsync("0/public/GroupedBook?pair=BTC/USD&grouping=100&depth=25");
        var bids = result.GetProperty("bids").EnumerateArray().Select(l => Dec(l.GetProperty("price").GetString())).ToArray();
        var asks = result.GetProperty("asks").EnumerateArray().Select(l => Dec(l.GetProperty("price").GetString())).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("grouping").GetInt32(), Is.EqualTo(100));
            Assert.That(bids.Concat(asks).All(p => p % 10m == 0), Is.True);
            Assert.That(bids, Is.Ordered.Descending.And.Unique);
            Assert.That(asks, Is.Ordered.Ascending.And.Unique);
            Assert.That(bids, Has.Length.LessThanOrEqualTo(25));
        });
    }

    [Test]
    public async Task GroupedBook_DefaultDepth_IsTenLevels()
    {
        var result = await GetResultAsync("0/public/GroupedBook?pair=ETH/USD");
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("grouping").GetInt32(), Is.EqualTo(1));
            Assert.That(result.GetProperty("bids").GetArrayLength(), Is.EqualTo(10));
            Assert.That(result.GetProperty("asks").GetArrayLength(), Is.EqualTo(10));
        });
    }

    [TestCase("depth=11")]
    [TestCase("grouping=3")]
    [TestCase("depth=abc")]
    public async Task GroupedBook_UndocumentedDepthOrGrouping_AnswersInvalidArguments(string parameter)
    {
        Assert.That(await GetErrorAsync($"0/public/GroupedBook?pair=BTC/USD&{parameter}"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task Trades_Count_LimitsToTheNewestTrades()
    {
        var all = (await GetResultAsync("0/public/Trades?pair=XBTUSD")).GetProperty("XXBTZUSD").EnumerateArray().Select(t => t[6].GetInt64()).ToArray();
        var five = (await GetResultAsync("0/public/Trades?pair=XBTUSD&count=5")).GetProperty("XXBTZUSD").EnumerateArray().Select(t => t[6].GetInt64()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(all, Has.Length.EqualTo(1000), "Kraken returns the last 1000 trades by default");
            Assert.That(five, Is.EqualTo(all[^5..]));
        });
    }

    [TestCase("count=0")]
    [TestCase("count=1001")]
    [TestCase("since=yesterday")]
    public async Task Trades_InvalidCountOrSince_AnswersInvalidArguments(string parameter)
    {
        Assert.That(await GetErrorAsync($"0/public/Trades?pair=XBTUSD&{parameter}"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task Spread_NonNumericSince_AnswersInvalidArguments()
    {
        Assert.That(await GetErrorAsync("0/public/Spread?pair=XBTUSD&since=later"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task Assets_AssetList_AcceptsKeysAltnamesAndNewerNames()
    {
        var result = await GetResultAsync("0/public/Assets?asset=XXBT,ETH,usd,SOL");
        Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "SOL", "XETH", "XXBT", "ZUSD" }));
    }

    [Test]
    public async Task Assets_WithoutFilter_ListsEveryAssetWithKrakensPrefixes()
    {
        var result = await GetResultAsync("0/public/Assets");
        Assert.Multiple(() =>
        {
            Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "DOT", "SOL", "USDT", "XETH", "XXBT", "ZEUR", "ZUSD" }));
            Assert.That(result.GetProperty("XXBT").GetProperty("altname").GetString(), Is.EqualTo("XBT"));
            Assert.That(result.GetProperty("ZEUR").GetProperty("altname").GetString(), Is.EqualTo("EUR"));
        });
    }

    [Test]
    public async Task Assets_UnknownAsset_AnswersUnknownAsset()
    {
        Assert.That(await GetErrorAsync("0/public/Assets?asset=XBT,NOPE"), Is.EqualTo("EQuery:Unknown asset"));
    }

    [Test]
    public async Task Assets_TokenizedAssetClass_ListsNothing()
    {
        var result = await GetResultAsync("0/public/Assets?aclass=tokenized_asset");
        Assert.That(result.EnumerateObject(), Is.Empty);
    }

    [Test]
    public async Task Assets_UnknownAssetClass_AnswersInvalidArguments()
    {
        Assert.That(await GetErrorAsync("0/public/Assets?aclass=bonds"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [TestCase("leverage", new[] { "leverage_buy", "leverage_sell" })]
    [TestCase("fees", new[] { "fees", "fees_maker", "fee_volume_currency" })]
    [TestCase("margin", new[] { "margin_call", "margin_stop" })]
    public async Task AssetPairs_Info_AnswersOnlyThatSubset(string info, string[] keys)
    {
        var result = await GetResultAsync($"0/public/AssetPairs?pair=XBTUSD&info={info}");
        Assert.That(result.GetProperty("XXBTZUSD").EnumerateObject().Select(p => p.Name), Is.EqualTo(keys));
    }

    [Test]
    public async Task AssetPairs_InfoInfo_AnswersEveryField()
    {
        var all = await GetResultAsync("0/public/AssetPairs?pair=XBTUSD&info=info");
        Assert.That(all.GetProperty("XXBTZUSD").EnumerateObject().Count(), Is.EqualTo(24));
    }

    [Test]
    public async Task AssetPairs_UnknownInfo_AnswersInvalidArguments()
    {
        Assert.That(await GetErrorAsync("0/public/AssetPairs?info=everything"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task AssetPairs_WithoutPair_ListsEveryPair()
    {
        var result = await GetResultAsync("0/public/AssetPairs");
        Assert.That(result.EnumerateObject().Count(), Is.EqualTo(8));
    }

    [Test]
    public async Task AssetPairs_CountryCodeInEea_LeavesOutUsdtPairs()
    {
        var result = await GetResultAsync("0/public/AssetPairs?country_code=DE");
        var keys = result.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(keys, Does.Not.Contain("USDTZUSD"));
            Assert.That(keys, Does.Contain("XXBTZEUR"));
        });
    }

    [Test]
    public async Task AssetPairs_CountryCodeOutsideEea_ListsEveryPair()
    {
        var result = await GetResultAsync("0/public/AssetPairs?country_code=us");
        Assert.That(result.EnumerateObject().Select(p => p.Name), Does.Contain("USDTZUSD"));
    }

    [Test]
    public async Task AssetPairs_MalformedCountryCode_AnswersInvalidArguments()
    {
        Assert.That(await GetErrorAsync("0/public/AssetPairs?country_code=DEU"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task AssetPairs_PairFields_CarryKrakensTextForMinimumsAndTick()
    {
        var pair = (await GetResultAsync("0/public/AssetPairs?pair=XBTUSD")).GetProperty("XXBTZUSD");
        Assert.Multiple(() =>
        {
            Assert.That(pair.GetProperty("altname").GetString(), Is.EqualTo("XBTUSD"));
            Assert.That(pair.GetProperty("wsname").GetString(), Is.EqualTo("XBT/USD"));
            Assert.That(pair.GetProperty("base").GetString(), Is.EqualTo("XXBT"));
            Assert.That(pair.GetProperty("quote").GetString(), Is.EqualTo("ZUSD"));
            Assert.That(pair.GetProperty("pair_decimals").GetInt32(), Is.EqualTo(1));
            Assert.That(pair.GetProperty("ordermin").GetString(), Is.EqualTo("0.0001"));
            Assert.That(pair.GetProperty("costmin").GetString(), Is.EqualTo("0.5"));
            Assert.That(pair.GetProperty("tick_size").GetString(), Is.EqualTo("0.1"));
        });
    }

    [Test]
    public async Task PreTrade_WithoutSymbol_AnswersInvalidArguments()
    {
        Assert.That(await GetErrorAsync("0/public/PreTrade"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task PreTrade_UnknownSymbol_AnswersUnknownAssetPair()
    {
        Assert.That(await GetErrorAsync("0/public/PreTrade?symbol=NOPE/USD"), Is.EqualTo("EQuery:Unknown asset pair"));
    }

    [TestCase("count=0")]
    [TestCase("from_ts=not-a-time")]
    public async Task PostTrade_InvalidParameter_AnswersInvalidArguments(string parameter)
    {
        Assert.That(await GetErrorAsync($"0/public/PostTrade?{parameter}"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task PostTrade_WithoutSymbol_MixesPairsInTimeOrder()
    {
        var result = await GetResultAsync("0/public/PostTrade?count=50");
        var trades = result.GetProperty("trades").EnumerateArray().ToArray();
        var times = trades.Select(t => DateTimeOffset.Parse(t.GetProperty("trade_ts").GetString()!, CultureInfo.InvariantCulture)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(trades, Has.Length.EqualTo(50));
            Assert.That(times, Is.Ordered.Ascending);
            Assert.That(trades.Select(t => t.GetProperty("symbol").GetString()).Distinct().Count(), Is.GreaterThan(1));
        });
    }

    [TestCase("0/public/Nope")]
    [TestCase("0/private/Balance")]
    [TestCase("0/public")]
    public async Task UnknownPath_AnswersHttp404WithUnknownMethod(string path)
    {
        var (status, json) = await GetJsonAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(json.ToString(), Is.EqualTo("{\"error\":[\"EGeneral:Unknown method\"]}"));
        });
    }

    [Test]
    public async Task PublicEndpoint_AcceptsPostWithFormBody_AsKrakenAlsoDoes()
    {
        using var form = new FormUrlEncodedContent([new("pair", "ETHUSD")]);
        using var response = await Http.PostAsync(Relative("0/public/Ticker"), form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.StartWith("{\"error\":[],\"result\":{\"XETHZUSD\":{\"a\":["));
    }
}
