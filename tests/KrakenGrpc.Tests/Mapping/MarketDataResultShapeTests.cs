using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Services;

namespace KrakenGrpc.Tests.Mapping;

/// <summary>
/// AssetPairs, Ticker and Depth results in shapes Kraken's examples do not show: absent and null fields, numbers
/// where strings are documented and the reverse, fields the gateway does not know, a key written twice, and values
/// it cannot read (an unreadable answer naming the endpoint, never a crash).
/// </summary>
public class MarketDataResultShapeTests
{
    private static T Map<T>(string result, Func<JsonElement, T> map)
    {
        using var document = JsonDocument.Parse(result);
        return map(document.RootElement);
    }

    // {"P":{<members>}}: a result with one pair.
    private static string OnePair(string members) => "{\"P\":{" + members + "}}";

    private static KrakenException Unreadable<T>(KrakenEndpoint endpoint, string result, Func<JsonElement, T> map)
    {
        using var document = JsonDocument.Parse(result);
        var root = document.RootElement;
        return Assert.Throws<KrakenException>(() => KrakenCalls.Read(endpoint, root, map))!;
    }

    private static void AssertUnreadable(KrakenException failure, string endpoint, string problem)
    {
        Assert.Multiple(() =>
        {
            Assert.That(failure.ErrorClass, Is.EqualTo(KrakenErrorTable.UnreadableResponse));
            Assert.That(failure.Endpoint, Is.EqualTo(endpoint));
            Assert.That(failure.Message, Does.Contain(problem));
        });
    }

    // ---- AssetPairs -----------------------------------------------------------------------------------------

    [Test]
    public void AssetPairs_AbsentAndNullFields_MapToEmptyTextZeroAndEmptyLists()
    {
        var pairs = Map("""
            {"EMPTY":{},
             "NULLS":{"altname":null,"wsname":null,"aclass_base":null,"lot":null,"cost_decimals":null,"lot_multiplier":null,
                      "leverage_buy":null,"leverage_sell":null,"fees":null,"fees_maker":null,"fee_volume_currency":null,
                      "margin_call":null,"ordermin":null,"status":null,"long_position_limit":null,"execution_venue":null}}
            """, MarketDataMapping.ToAssetPairs).Pairs;

        Assert.That(pairs, Is.EqualTo(new Dictionary<string, AssetPair> { ["EMPTY"] = new(), ["NULLS"] = new() }));
    }

    [Test]
    public void AssetPairs_NumbersAndStrings_AreReadEitherWay_AndKeepKrakensText()
    {
        var pair = Map("""
            {"P":{"ordermin":0.00010,"costmin":"0.5","tick_size":1E-1,"lot":true,"cost_decimals":"5","pair_decimals":1,
                  "lot_multiplier":"1","margin_stop":-40,"long_position_limit":"250","short_position_limit":-200,
                  "leverage_buy":[2,"3"],"leverage_sell":[],"fees":[["0","0.26"],[50000,0.240]],"fees_maker":[[0,0.16,"more"]]}}
            """, MarketDataMapping.ToAssetPairs).Pairs["P"];

        Assert.That(pair, Is.EqualTo(new AssetPair
        {
            MinOrderVolume = "0.00010",
            MinOrderCost = "0.5",
            TickSize = "1E-1",
            Lot = "true",
            CostDecimals = 5,
            PriceDecimals = 1,
            LotMultiplier = 1,
            MarginStopLevel = -40,
            LongPositionLimit = 250,
            ShortPositionLimit = -200,
            BuyLeverageLevels = { 2, 3 },
            TakerFeeTiers = { new AssetPairFeeTier { Volume = "0", PercentFee = "0.26" }, new AssetPairFeeTier { Volume = "50000", PercentFee = "0.240" } },
            MakerFeeTiers = { new AssetPairFeeTier { Volume = "0", PercentFee = "0.16" } },
        }));
    }

    [Test]
    public void AssetPairs_FieldsTheGatewayDoesNotKnow_AreIgnored_EvenWhenTheyHoldKnownNames()
    {
        var pair = Map("""
            {"P":{"altname":"ETHXBT","margin_level":[1,2],"future":{"altname":"nested","fees":[[1,2]]},"wsname":"ETH/XBT",
                  "zzz":null,"quote":"XXBT","fees":[[0,0.26]],"also_new":[[0,0.16]]}}
            """, MarketDataMapping.ToAssetPairs).Pairs["P"];

        Assert.That(pair, Is.EqualTo(new AssetPair
        {
            AlternateName = "ETHXBT",
            WebsocketName = "ETH/XBT",
            QuoteAsset = "XXBT",
            TakerFeeTiers = { new AssetPairFeeTier { Volume = "0", PercentFee = "0.26" } },
        }));
    }

    [Test]
    public void AssetPairs_AKeyWrittenTwice_OnlyTheLastIsRead()
    {
        var pair = Map("""
            {"P":{"altname":"first","fees":[[0,0.26],[1]],"cost_decimals":"six","leverage_buy":[2,3],"tick_size":{},
                  "altname":"second","fees":[[5,0.1]],"cost_decimals":2,"leverage_buy":[],"tick_size":null}}
            """, MarketDataMapping.ToAssetPairs).Pairs["P"];

        Assert.That(pair, Is.EqualTo(new AssetPair
        {
            AlternateName = "second",
            CostDecimals = 2,
            TakerFeeTiers = { new AssetPairFeeTier { Volume = "5", PercentFee = "0.1" } },
        }));
    }

    [Test]
    public void AssetPairs_EscapedFieldNames_AreTheSameFields()
    {
        var pair = Map("""{"P":{"alt\u006eame":"ETHXBT","w\u0073name":"ETH\/XBT","\u0066ees":[[0,0.26]]}}""", MarketDataMapping.ToAssetPairs).Pairs["P"];

        Assert.That(pair, Is.EqualTo(new AssetPair
        {
            AlternateName = "ETHXBT",
            WebsocketName = "ETH/XBT",
            TakerFeeTiers = { new AssetPairFeeTier { Volume = "0", PercentFee = "0.26" } },
        }));
    }

    [Test]
    public void AssetPairs_ListsThatAreNotArrays_AreEmpty()
    {
        var pair = Map("""{"P":{"leverage_buy":"2,3","leverage_sell":5,"fees":{"0":0.26},"fees_maker":"none"}}""", MarketDataMapping.ToAssetPairs).Pairs["P"];

        Assert.That(pair, Is.EqualTo(new AssetPair()));
    }

    [TestCase("\"online\"", AssetPairStatus.Online)]
    [TestCase("\"cancel_only\"", AssetPairStatus.CancelOnly)]
    [TestCase("\"post_only\"", AssetPairStatus.PostOnly)]
    [TestCase("\"limit_only\"", AssetPairStatus.LimitOnly)]
    [TestCase("\"reduce_only\"", AssetPairStatus.ReduceOnly)]
    [TestCase("\"delisted\"", AssetPairStatus.Unspecified)]
    [TestCase("\"ONLINE\"", AssetPairStatus.Unspecified)]
    [TestCase("1", AssetPairStatus.Unspecified)]
    [TestCase("true", AssetPairStatus.Unspecified)]
    public void AssetPairs_Status_KnownWordsMap_AnythingElseIsUnspecified(string status, AssetPairStatus expected)
    {
        Assert.That(Map(OnePair($"\"status\":{status}"), MarketDataMapping.ToAssetPairs).Pairs["P"].Status, Is.EqualTo(expected));
    }

    [TestCase("""{"P":{"cost_decimals":"six"}}""", "expected an integer, found \"six\"")]
    [TestCase("""{"P":{"pair_decimals":1.5}}""", "expected an integer, found 1.5")]
    [TestCase("""{"P":{"long_position_limit":"1e3"}}""", "expected an integer, found \"1e3\"")]
    [TestCase("""{"P":{"lot_decimals":3000000000}}""", "overflow")]
    [TestCase("""{"P":{"leverage_sell":[2,[3]]}}""", "expected an integer, found [3]")]
    [TestCase("""{"P":{"fees":[0.26]}}""", "expected an array with at least 1 elements, found 0.26")]
    [TestCase("""{"P":{"fees_maker":[[0]]}}""", "expected an array with at least 2 elements, found [0]")]
    [TestCase("""{"P":{"altname":{"x":1}}}""", "expected a scalar, found Object")]
    [TestCase("""{"P":{"status":[]}}""", "expected a scalar, found Array")]
    [TestCase("""{"P":[]}""", "'Object'")]
    [TestCase("""{"P":null}""", "'Object'")]
    [TestCase("""[]""", "'Object'")]
    public void AssetPairs_AValueOfAnotherShape_IsAnUnreadableAnswer(string result, string problem)
    {
        AssertUnreadable(Unreadable(KrakenEndpoints.AssetPairs, result, MarketDataMapping.ToAssetPairs), "AssetPairs", problem);
    }

    // ---- Ticker ---------------------------------------------------------------------------------------------

    private const string TickerTuples = """
        "a":["30300.10000","1","1.000"],"b":["30300.00000","2","2.000"],"c":["30303.20000","0.00067643"],
        "v":["4083.67001100","4412.73601799"],"p":["30706.77771","30689.13205"],"t":[34619,38907],
        "l":["29868.30000","29868.40000"],"h":["31631.00000","31631.10000"]
        """;

    private static readonly Ticker ExpectedTicker = new()
    {
        Ask = new TickerBookTop { Price = "30300.10000", WholeLotVolume = "1", LotVolume = "1.000" },
        Bid = new TickerBookTop { Price = "30300.00000", WholeLotVolume = "2", LotVolume = "2.000" },
        LastTrade = new TickerLastTrade { Price = "30303.20000", LotVolume = "0.00067643" },
        Volume = new TickerDecimalWindows { Today = "4083.67001100", Last24Hours = "4412.73601799" },
        Vwap = new TickerDecimalWindows { Today = "30706.77771", Last24Hours = "30689.13205" },
        TradeCount = new TickerCountWindows { Today = 34619, Last24Hours = 38907 },
        Low = new TickerDecimalWindows { Today = "29868.30000", Last24Hours = "29868.40000" },
        High = new TickerDecimalWindows { Today = "31631.00000", Last24Hours = "31631.10000" },
    };

    [Test]
    public void Ticker_WithoutOrWithANullOpeningPrice_HasAnEmptyOne()
    {
        var tickers = Map("{\"ABSENT\":{" + TickerTuples + "},\"NULL\":{" + TickerTuples + ",\"o\":null}}", MarketDataMapping.ToTicker).Tickers;

        Assert.That(tickers, Is.EqualTo(new Dictionary<string, Ticker> { ["ABSENT"] = ExpectedTicker, ["NULL"] = ExpectedTicker }));
    }

    [Test]
    public void Ticker_FieldsInAnyOrder_UnknownFieldsAndLongerTuples_AreReadTheSame()
    {
        var ticker = Map("""
            {"P":{"o":"30502.80000","x":[1,2,3],"h":["31631.00000","31631.10000","later"],"l":["29868.30000","29868.40000"],
                  "t":[34619,38907,1],"future":{"a":["1","1","1"]},"p":["30706.77771","30689.13205"],"v":["4083.67001100","4412.73601799"],
                  "c":["30303.20000","0.00067643","x"],"b":["30300.00000","2","2.000"],"a":["30300.10000","1","1.000","4"]}}
            """, MarketDataMapping.ToTicker).Tickers["P"];

        var expected = ExpectedTicker.Clone();
        expected.OpeningPrice = "30502.80000";
        Assert.That(ticker, Is.EqualTo(expected));
    }

    [Test]
    public void Ticker_NumbersWhereStringsAreDocumented_KeepTheirText_AndCountsMayBeStrings()
    {
        var ticker = Map("""
            {"P":{"a":[30300.10000,1,"1.000"],"b":["30300.00000","2","2.000"],"c":["30303.20000",0.00067643],
                  "v":["4083.67001100","4412.73601799"],"p":["30706.77771","30689.13205"],"t":["34619",38907],
                  "l":["29868.30000","29868.40000"],"h":["31631.00000","31631.10000"],"o":30502.8}}
            """, MarketDataMapping.ToTicker).Tickers["P"];

        var expected = ExpectedTicker.Clone();
        expected.OpeningPrice = "30502.8";
        Assert.That(ticker, Is.EqualTo(expected));
    }

    [Test]
    public void Ticker_AKeyWrittenTwice_OnlyTheLastIsRead()
    {
        var ticker = Map(OnePair("\"a\":[\"1\",\"1\",\"1\"],\"t\":null,\"o\":[1]," + TickerTuples + ",\"o\":\"30502.80000\""), MarketDataMapping.ToTicker).Tickers["P"];

        var expected = ExpectedTicker.Clone();
        expected.OpeningPrice = "30502.80000";
        Assert.That(ticker, Is.EqualTo(expected));
    }

    [TestCase("a")]
    [TestCase("b")]
    [TestCase("c")]
    [TestCase("v")]
    [TestCase("p")]
    [TestCase("t")]
    [TestCase("l")]
    [TestCase("h")]
    public void Ticker_WithoutATupleItNeeds_IsAnUnreadableAnswer(string missing)
    {
        using var complete = JsonDocument.Parse($"{{{TickerTuples}}}");
        var tuples = string.Join(',', complete.RootElement.EnumerateObject().Where(p => p.Name != missing).Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}"));

        var failure = Unreadable(KrakenEndpoints.Ticker, OnePair(tuples), MarketDataMapping.ToTicker);

        AssertUnreadable(failure, "Ticker", "Kraken's answer to Ticker could not be read");
    }

    [TestCase("a", "null", "expected an array with at least 1 elements, found null")]
    [TestCase("b", """["30300.00000","2"]""", """expected an array with at least 3 elements, found ["30300.00000","2"]""")]
    [TestCase("c", "\"30303.2\"", "expected an array with at least 1 elements, found \"30303.2\"")]
    [TestCase("t", "[1.5,2]", "expected an integer, found 1.5")]
    [TestCase("v", """{"today":"1"}""", """expected an array with at least 1 elements, found {"today":"1"}""")]
    [TestCase("h", """[["1"],"2"]""", "expected a scalar, found Array")]
    [TestCase("o", "[1]", "expected a scalar, found Array")]
    public void Ticker_AValueOfAnotherShape_IsAnUnreadableAnswer(string key, string value, string problem)
    {
        var failure = Unreadable(KrakenEndpoints.Ticker, OnePair($"{TickerTuples},\"{key}\":{value}"), MarketDataMapping.ToTicker);

        AssertUnreadable(failure, "Ticker", problem);
    }

    [TestCase("""{"P":[]}""")]
    [TestCase("""{"P":null}""")]
    [TestCase("""{"P":"XBTUSD"}""")]
    public void Ticker_APairThatIsNotAnObject_IsAnUnreadableAnswer(string result)
    {
        AssertUnreadable(Unreadable(KrakenEndpoints.Ticker, result, MarketDataMapping.ToTicker), "Ticker", "'Object'");
    }

    // ---- Depth ----------------------------------------------------------------------------------------------

    [Test]
    public void Depth_AbsentNullOrNonArraySides_AreEmpty()
    {
        var books = Map("""{"P1":{},"P2":{"asks":null,"bids":{"0":["1","2",3]}},"P3":{"asks":"none","bids":7}}""", MarketDataMapping.ToOrderBook).Books;

        Assert.That(books, Is.EqualTo(new Dictionary<string, DepthBook> { ["P1"] = new(), ["P2"] = new(), ["P3"] = new() }));
    }

    [Test]
    public void Depth_LevelsKeepTheirOrderAndText_WhicheverSideComesFirst_AndUnknownFieldsAreIgnored()
    {
        var book = Map("""
            {"P":{"bids":[["30297.00000","1.115",1688671636],[30296.7,2.0020,"1688671674"]],"levels":[["1","2",3]],
                  "asks":[["30384.10000","2.059",1688671659.25,"more"]],"count":2}}
            """, MarketDataMapping.ToOrderBook).Books["P"];

        Assert.That(book, Is.EqualTo(new DepthBook
        {
            Asks = { new DepthLevel { Price = "30384.10000", Volume = "2.059", Timestamp = new Timestamp { Seconds = 1688671659, Nanos = 250_000_000 } } },
            Bids =
            {
                new DepthLevel { Price = "30297.00000", Volume = "1.115", Timestamp = new Timestamp { Seconds = 1688671636 } },
                new DepthLevel { Price = "30296.7", Volume = "2.0020", Timestamp = new Timestamp { Seconds = 1688671674 } },
            },
        }));
    }

    [Test]
    public void Depth_LevelTimes_ZeroOrNullMeansNone_AndFractionsAreKeptToTheNanosecond()
    {
        var asks = Map("""{"P":{"asks":[["1","1",0],["1","1","0"],["1","1",null],["1","1",1688671659.1234567891]]}}""", MarketDataMapping.ToOrderBook).Books["P"].Asks;

        Assert.That(asks.Select(level => level.Timestamp), Is.EqualTo(new[] { null, null, null, new Timestamp { Seconds = 1688671659, Nanos = 123_456_789 } }));
    }

    [Test]
    public void Depth_AKeyWrittenTwice_OnlyTheLastIsRead_AndEveryPairHasItsBook()
    {
        var books = Map("""
            {"P":{"asks":[["1","1",1],["2"]],"bids":[["3","3",3]],"asks":[["4","4",4]]},"Q":{"bids":[["5","5",5]]}}
            """, MarketDataMapping.ToOrderBook).Books;

        Assert.That(books, Is.EqualTo(new Dictionary<string, DepthBook>
        {
            ["P"] = new()
            {
                Asks = { new DepthLevel { Price = "4", Volume = "4", Timestamp = new Timestamp { Seconds = 4 } } },
                Bids = { new DepthLevel { Price = "3", Volume = "3", Timestamp = new Timestamp { Seconds = 3 } } },
            },
            ["Q"] = new() { Bids = { new DepthLevel { Price = "5", Volume = "5", Timestamp = new Timestamp { Seconds = 5 } } } },
        }));
    }

    [TestCase("""{"P":{"asks":[["1","2"]]}}""", """expected an array with at least 3 elements, found ["1","2"]""")]
    [TestCase("""{"P":{"bids":["1"]}}""", "expected an array with at least 1 elements, found \"1\"")]
    [TestCase("""{"P":{"asks":[["1","2","soon"]]}}""", "'soon' is not a unix time")]
    [TestCase("""{"P":{"bids":[[{"p":1},"2",3]]}}""", "expected a scalar, found Object")]
    [TestCase("""{"P":[]}""", "'Object'")]
    [TestCase("""{"P":null}""", "'Object'")]
    public void Depth_AValueOfAnotherShape_IsAnUnreadableAnswer(string result, string problem)
    {
        AssertUnreadable(Unreadable(KrakenEndpoints.Depth, result, MarketDataMapping.ToOrderBook), "Depth", problem);
    }
}
