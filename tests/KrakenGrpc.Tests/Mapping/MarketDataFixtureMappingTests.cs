using System.Text.Json;
using Google.Protobuf;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Mapping;

/// <summary>Every public fixture Kraken documents, mapped through the gateway's mappings: nothing lost, nothing reformatted.</summary>
public class MarketDataFixtureMappingTests
{
    private static readonly (string Fixture, Func<JsonElement, IMessage> Map)[] Mappings =
    [
        ("Time", r => MarketDataMapping.ToServerTime(r)),
        ("SystemStatus", r => MarketDataMapping.ToSystemStatus(r)),
        ("Assets", r => MarketDataMapping.ToAssetInfo(r)),
        ("AssetPairs", r => MarketDataMapping.ToAssetPairs(r)),
        ("Ticker", r => MarketDataMapping.ToTicker(r)),
        ("OHLC", r => MarketDataMapping.ToCandles(r)),
        ("Depth", r => MarketDataMapping.ToOrderBook(r)),
        ("GroupedBook", r => MarketDataMapping.ToGroupedBook(r)),
        ("Trades", r => MarketDataMapping.ToRecentTrades(r)),
        ("Spread", r => MarketDataMapping.ToRecentSpreads(r)),
    ];

    private static IEnumerable<TestCaseData> Cases() => Mappings.Select(m => new TestCaseData(m.Fixture).SetName($"Fixture_{m.Fixture}_KeepsEveryDecimalTextByteForByte"));

    private static T Map<T>(string fixture, Func<JsonElement, T> map)
    {
        using var response = KrakenEnvelope.Parse(fixture, Fixtures.Bytes(fixture), TimeProvider.System);
        return map(response.Result);
    }

    [TestCaseSource(nameof(Cases))]
    public void EveryDecimalStringOfTheFixture_ArrivesUnchanged(string fixture)
    {
        var map = Mappings.Single(m => m.Fixture == fixture).Map;
        using var response = KrakenEnvelope.Parse(fixture, Fixtures.Bytes(fixture), TimeProvider.System);

        var expected = MessageText.DecimalStrings(response.Result);
        var mapped = MessageText.Strings(map(response.Result));

        Assert.That(expected, Is.SubsetOf(mapped).Or.Empty);
        foreach (var text in expected.Distinct())
        {
            Assert.That(mapped.Count(t => t == text), Is.GreaterThanOrEqualTo(expected.Count(t => t == text)), $"'{text}' lost in {fixture}");
        }
    }

    [Test]
    public void Ticker_MapsEveryTupleToItsNamedField()
    {
        var ticker = Map("Ticker", MarketDataMapping.ToTicker).Tickers["XXBTZUSD"];

        Assert.Multiple(() =>
        {
            Assert.That(ticker.Ask.Price, Is.EqualTo("30300.10000"));
            Assert.That(ticker.Ask.WholeLotVolume, Is.EqualTo("1"));
            Assert.That(ticker.Ask.LotVolume, Is.EqualTo("1.000"));
            Assert.That(ticker.Bid.Price, Is.EqualTo("30300.00000"));
            Assert.That(ticker.LastTrade.Price, Is.EqualTo("30303.20000"));
            Assert.That(ticker.LastTrade.LotVolume, Is.EqualTo("0.00067643"));
            Assert.That(ticker.Volume.Last24Hours, Is.EqualTo("4412.73601799"));
            Assert.That(ticker.Vwap.Today, Is.EqualTo("30706.77771"));
            Assert.That(ticker.TradeCount.Today, Is.EqualTo(34619));
            Assert.That(ticker.TradeCount.Last24Hours, Is.EqualTo(38907));
            Assert.That(ticker.Low.Today, Is.EqualTo("29868.30000"));
            Assert.That(ticker.High.Last24Hours, Is.EqualTo("31631.00000"));
            Assert.That(ticker.OpeningPrice, Is.EqualTo("30502.80000"));
        });
    }

    [Test]
    public void AssetPairs_KeepsFeeTiersAsKrakensNumberText_AndEveryField()
    {
        var pair = Map("AssetPairs", MarketDataMapping.ToAssetPairs).Pairs["XETHXXBT"];

        Assert.Multiple(() =>
        {
            Assert.That(pair.AlternateName, Is.EqualTo("ETHXBT"));
            Assert.That(pair.WebsocketName, Is.EqualTo("ETH/XBT"));
            Assert.That(pair.BaseAsset, Is.EqualTo("XETH"));
            Assert.That(pair.QuoteAsset, Is.EqualTo("XXBT"));
            Assert.That(pair.PriceDecimals, Is.EqualTo(5));
            Assert.That(pair.VolumeDecimals, Is.EqualTo(8));
            Assert.That(pair.CostDecimals, Is.EqualTo(6));
            Assert.That(pair.BuyLeverageLevels, Is.EqualTo(new[] { 2, 3, 4, 5 }));
            Assert.That(pair.TakerFeeTiers[0].Volume, Is.EqualTo("0"));
            Assert.That(pair.TakerFeeTiers[0].PercentFee, Is.EqualTo("0.26"));
            Assert.That(pair.TakerFeeTiers[3].PercentFee, Is.EqualTo("0.2"));
            Assert.That(pair.MakerFeeTiers[^1].Volume, Is.EqualTo("10000000"));
            Assert.That(pair.FeeVolumeCurrency, Is.EqualTo("ZUSD"));
            Assert.That(pair.MarginCallLevel, Is.EqualTo(80));
            Assert.That(pair.MarginStopLevel, Is.EqualTo(40));
            Assert.That(pair.MinOrderVolume, Is.EqualTo("0.01"));
            Assert.That(pair.Status, Is.EqualTo(AssetPairStatus.Online));
        });
    }

    [Test]
    public void RecentTrades_KeepFractionalSecondsTheCursorAndTheTradeIds()
    {
        var trades = Map("Trades", MarketDataMapping.ToRecentTrades);

        Assert.Multiple(() =>
        {
            Assert.That(trades.Pair, Is.EqualTo("XXBTZUSD"));
            Assert.That(trades.Last, Is.EqualTo("1688671969993150842"));
            Assert.That(trades.Trades[0].Price, Is.EqualTo("30243.40000"));
            Assert.That(trades.Trades[0].Time.Seconds, Is.EqualTo(1688669597));
            Assert.That(trades.Trades[0].Time.Nanos, Is.EqualTo(827736900));
            Assert.That(trades.Trades[0].Side, Is.EqualTo(PublicTradeSide.Buy));
            Assert.That(trades.Trades[0].OrderType, Is.EqualTo(PublicTradeOrderType.Market));
            Assert.That(trades.Trades[1].Side, Is.EqualTo(PublicTradeSide.Sell));
            Assert.That(trades.Trades[1].OrderType, Is.EqualTo(PublicTradeOrderType.Limit));
            Assert.That(trades.Trades[0].TradeId, Is.EqualTo(61044952));
        });
    }

    [Test]
    public void Candles_KeepTheUnfinishedLastCandleAndTheIntegerCursorAsText()
    {
        var candles = Map("OHLC", MarketDataMapping.ToCandles);

        Assert.Multiple(() =>
        {
            Assert.That(candles.Pair, Is.EqualTo("XXBTZUSD"));
            Assert.That(candles.Candles, Has.Count.EqualTo(4));
            Assert.That(candles.Candles[0].Time.Seconds, Is.EqualTo(1688671200));
            Assert.That(candles.Candles[0].Vwap, Is.EqualTo("30306.1"));
            Assert.That(candles.Candles[0].Volume, Is.EqualTo("3.39243896"));
            Assert.That(candles.Candles[0].Count, Is.EqualTo(23));
            Assert.That(candles.Last, Is.EqualTo("1688672160"));
        });
    }

    [Test]
    public void OrderBook_Spreads_GroupedBook_TimeAndStatus_MapTheirFields()
    {
        var book = Map("Depth", MarketDataMapping.ToOrderBook).Books["XXBTZUSD"];
        var spreads = Map("Spread", MarketDataMapping.ToRecentSpreads);
        var grouped = Map("GroupedBook", MarketDataMapping.ToGroupedBook);
        var time = Map("Time", MarketDataMapping.ToServerTime);
        var status = Map("SystemStatus", MarketDataMapping.ToSystemStatus);
        var assets = Map("Assets", MarketDataMapping.ToAssetInfo);

        Assert.Multiple(() =>
        {
            Assert.That(book.Asks[0].Price, Is.EqualTo("30384.10000"));
            Assert.That(book.Asks[0].Volume, Is.EqualTo("2.059"));
            Assert.That(book.Asks[0].Timestamp.Seconds, Is.EqualTo(1688671659));
            Assert.That(book.Bids[2].Volume, Is.EqualTo("5.001"));
            Assert.That(spreads.Spreads, Has.Count.EqualTo(3));
            Assert.That(spreads.Spreads[0].Bid, Is.EqualTo("30292.10000"));
            Assert.That(spreads.Last, Is.EqualTo("1688672106"));
            Assert.That(grouped.Pair, Is.EqualTo("BTC/USD"));
            Assert.That(grouped.Grouping, Is.EqualTo(1000));
            Assert.That(grouped.Bids[0].Quantity, Is.EqualTo("19.83057746"));
            Assert.That(time.ServerTime.Seconds, Is.EqualTo(1688669448));
            Assert.That(time.Rfc1123, Is.EqualTo("Thu, 06 Jul 23 18:50:48 +0000"));
            Assert.That(status.Status, Is.EqualTo(SystemStatus.Online));
            Assert.That(status.Timestamp.Seconds, Is.EqualTo(DateTimeOffset.Parse("2023-07-06T18:52:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds()));
            Assert.That(assets.Assets["XXBT"].Decimals, Is.EqualTo(10));
            Assert.That(assets.Assets["XXBT"].CollateralValue, Is.EqualTo("1"));
            Assert.That(assets.Assets["XXBT"].Status, Is.EqualTo(AssetInfoStatus.Enabled));
        });
    }

    [Test]
    public void UnknownVocabulary_MapsToUnspecified_InsteadOfFailingTheAnswer()
    {
        using var document = JsonDocument.Parse("""{"status":"some_new_mode","timestamp":"2023-07-06T18:52:00Z"}""");

        Assert.That(MarketDataMapping.ToSystemStatus(document.RootElement).Status, Is.EqualTo(SystemStatus.Unspecified));
    }
}
