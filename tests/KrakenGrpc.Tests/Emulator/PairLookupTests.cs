namespace KrakenGrpc.Tests.Emulator;

/// <summary>A pair can be named the ways Kraken accepts; answers are keyed by Kraken's pair key.</summary>
[TestFixture]
public sealed class PairLookupTests : EmulatorTestBase
{
    [TestCase("XBTUSD", TestName = "Ticker_ByAltname_AnswersUnderKrakenPairKey")]
    [TestCase("XBT/USD", TestName = "Ticker_ByWsname_AnswersUnderKrakenPairKey")]
    [TestCase("BTC/USD", TestName = "Ticker_ByNewerSymbol_AnswersUnderKrakenPairKey")]
    [TestCase("XXBTZUSD", TestName = "Ticker_ByKrakenKey_AnswersUnderThatKey")]
    [TestCase("xbtusd", TestName = "Ticker_ByLowercaseAltname_AnswersUnderKrakenPairKey")]
    public async Task Ticker_AnyKrakenName_AnswersUnderKrakenPairKey(string name)
    {
        var result = await GetResultAsync($"0/public/Ticker?pair={Uri.EscapeDataString(name)}");
        Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "XXBTZUSD" }));
    }

    [Test]
    public async Task Ticker_NewerListing_IsKeyedByItsPlainName()
    {
        var result = await GetResultAsync("0/public/Ticker?pair=SOL/EUR");
        Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "SOLEUR" }));
    }

    [Test]
    public async Task Ticker_CommaList_AnswersEachPairInKrakenKeyOrder()
    {
        var result = await GetResultAsync("0/public/Ticker?pair=XBTUSD,ETHUSD,SOLEUR,ETHUSD");
        Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "SOLEUR", "XETHZUSD", "XXBTZUSD" }));
    }

    [Test]
    public async Task Ticker_WithoutPair_AnswersEveryListedPair()
    {
        var result = await GetResultAsync("0/public/Ticker");
        Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "DOTUSD", "SOLEUR", "SOLUSD", "USDTZUSD", "XETHXXBT", "XETHZUSD", "XXBTZEUR", "XXBTZUSD",
        }));
    }

    [Test]
    public async Task Ticker_UnknownPair_AnswersUnknownAssetPairWithHttp200()
    {
        Assert.That(await GetErrorAsync("0/public/Ticker?pair=DOGEJPY"), Is.EqualTo("EQuery:Unknown asset pair"));
    }

    [Test]
    public async Task Ticker_ListWithOneUnknownPair_FailsAsAWhole()
    {
        Assert.That(await GetErrorAsync("0/public/Ticker?pair=XBTUSD,NOPE"), Is.EqualTo("EQuery:Unknown asset pair"));
    }

    [Test]
    public async Task Ticker_ExactErrorBody_IsKrakensEnvelopeWithoutResult()
    {
        var body = await Http.GetStringAsync(Relative("0/public/Ticker?pair=NOPE"));
        Assert.That(body, Is.EqualTo("{\"error\":[\"EQuery:Unknown asset pair\"]}"));
    }

    [TestCase("OHLC")]
    [TestCase("Depth")]
    [TestCase("Trades")]
    [TestCase("Spread")]
    [TestCase("GroupedBook")]
    public async Task SinglePairEndpoint_UnknownPair_AnswersUnknownAssetPair(string endpoint)
    {
        Assert.That(await GetErrorAsync($"0/public/{endpoint}?pair=NOPEUSD"), Is.EqualTo("EQuery:Unknown asset pair"));
    }

    [TestCase("OHLC")]
    [TestCase("Depth")]
    [TestCase("Trades")]
    [TestCase("Spread")]
    [TestCase("GroupedBook")]
    public async Task SinglePairEndpoint_WithoutPair_AnswersInvalidArguments(string endpoint)
    {
        Assert.That(await GetErrorAsync($"0/public/{endpoint}"), Is.EqualTo("EGeneral:Invalid arguments"));
    }

    [Test]
    public async Task Depth_ListOfPairs_IsNotAcceptedAsOnePair()
    {
        Assert.That(await GetErrorAsync("0/public/Depth?pair=XBTUSD,ETHUSD"), Is.EqualTo("EQuery:Unknown asset pair"));
    }

    [TestCase("OHLC", "ETH/XBT", "XETHXXBT")]
    [TestCase("Depth", "ETHXBT", "XETHXXBT")]
    [TestCase("Trades", "USDTUSD", "USDTZUSD")]
    [TestCase("Spread", "XBT/EUR", "XXBTZEUR")]
    public async Task SinglePairEndpoint_ByAnyName_AnswersUnderKrakenPairKey(string endpoint, string name, string key)
    {
        var result = await GetResultAsync($"0/public/{endpoint}?pair={Uri.EscapeDataString(name)}");
        Assert.That(result.EnumerateObject().First().Name, Is.EqualTo(key));
    }

    [Test]
    public async Task AssetPairs_WsnameList_AnswersUnderKrakenKeys()
    {
        var result = await GetResultAsync("0/public/AssetPairs?pair=BTC/USD,ETH/BTC");
        Assert.That(result.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "XETHXXBT", "XXBTZUSD" }));
    }

    [Test]
    public async Task GroupedBook_AnswersWithTheNewerSymbol()
    {
        var result = await GetResultAsync("0/public/GroupedBook?pair=XBTUSD");
        Assert.That(result.GetProperty("pair").GetString(), Is.EqualTo("BTC/USD"));
    }
}
