using System.Text;
using KrakenGrpc.Kraken.Requests;

namespace KrakenGrpc.Tests.Kraken;

public class KrakenRequestEncoderTests
{
    [Test]
    public void Form_WithNonce_ReproducesKrakensSigningExamplePayload()
    {
        var parameters = new KrakenParameters()
            .Add("ordertype", "limit").Add("pair", "XBTUSD").Add("price", "37500").Add("type", "buy").Add("volume", "1.25");

        var body = KrakenRequestEncoder.EncodeForm(parameters, nonce: 1616492376594);

        Assert.That(body, Is.EqualTo("nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"));
    }

    [Test]
    public void Form_LiteralPlus_IsSentAsLowercasePercent2b()
    {
        var body = KrakenRequestEncoder.EncodeForm(new KrakenParameters().Add("price", "+5").Add("expiretm", "+60"));

        Assert.That(body, Is.EqualTo("price=%2b5&expiretm=%2b60"));
    }

    [Test]
    public void Form_ListsAreCommaJoined_NestedObjectsUseBrackets_BooleansAreLowercase()
    {
        var parameters = new KrakenParameters()
            .Add("pair", new[] { "XBTUSD", "ETHUSD" })
            .Add("close", new KrakenParameters().Add("ordertype", "stop-loss").Add("price", "30000.1"))
            .Add("validate", true)
            .Add("userref", 42L);

        var body = KrakenRequestEncoder.EncodeForm(parameters);

        Assert.That(body, Is.EqualTo("pair=XBTUSD%2CETHUSD&close%5Bordertype%5D=stop-loss&close%5Bprice%5D=30000.1&validate=true&userref=42"));
    }

    [Test]
    public void Form_AbsentValues_AreNotSent()
    {
        var parameters = new KrakenParameters()
            .Add("pair", (string?)null).Add("since", "").Add("count", (long?)null).Add("validate", (bool?)null).Add("asset", Array.Empty<string>());

        Assert.Multiple(() =>
        {
            Assert.That(parameters.Count, Is.Zero);
            Assert.That(KrakenRequestEncoder.EncodeForm(parameters), Is.Empty);
        });
    }

    [Test]
    public void Form_ListOfObjects_IsRefusedBecauseOnlyJsonCarriesIt()
    {
        var parameters = new KrakenParameters().Add("orders", new[] { new KrakenParameters().Add("volume", "1") });

        Assert.Throws<ArgumentException>(() => KrakenRequestEncoder.EncodeForm(parameters));
    }

    [Test]
    public void Json_ReproducesTheDerivedSigningVectorBody()
    {
        var parameters = new KrakenParameters()
            .Add("ordertype", "limit").Add("pair", "XBTUSD").Add("price", "37500").Add("type", "buy").Add("volume", "1.25");

        var body = Encoding.UTF8.GetString(KrakenRequestEncoder.EncodeJson(parameters, nonce: 1616492376594));

        Assert.That(body, Is.EqualTo("""{"nonce":1616492376594,"ordertype":"limit","pair":"XBTUSD","price":"37500","type":"buy","volume":"1.25"}"""));
    }

    [Test]
    public void Json_BatchOrders_NestsObjectsAndKeepsDecimalTextAndPlusSigns()
    {
        var parameters = new KrakenParameters()
            .Add("pair", "XBTUSD")
            .Add("orders", new[]
            {
                new KrakenParameters().Add("ordertype", "limit").Add("price", "0.00000001").Add("volume", "87654.32100"),
                new KrakenParameters().Add("ordertype", "stop-loss").Add("price", "+5").Add("close", new KrakenParameters().Add("ordertype", "limit")),
            })
            .Add("validate", false);

        var body = Encoding.UTF8.GetString(KrakenRequestEncoder.EncodeJson(parameters));

        Assert.That(body, Is.EqualTo(
            """{"pair":"XBTUSD","orders":[{"ordertype":"limit","price":"0.00000001","volume":"87654.32100"},{"ordertype":"stop-loss","price":"+5","close":{"ordertype":"limit"}}],"validate":false}"""));
    }

    [Test]
    public void Json_StringList_IsAnArrayOfStrings()
    {
        var body = Encoding.UTF8.GetString(KrakenRequestEncoder.EncodeJson(new KrakenParameters().Add("orders", new[] { "OG5V2Y-RYKVL-DT3V3B", "OP5V2Y-RYKVL-ET3V3B" })));

        Assert.That(body, Is.EqualTo("""{"orders":["OG5V2Y-RYKVL-DT3V3B","OP5V2Y-RYKVL-ET3V3B"]}"""));
    }
}
