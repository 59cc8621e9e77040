using System.Text.Json;
using Google.Protobuf.Collections;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Tests.Mapping;

public class KrakenJsonTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [TestCase("\"0.00000001\"", "0.00000001")]
    [TestCase("\"87654.32100\"", "87654.32100")]
    [TestCase("0.26", "0.26")]
    [TestCase("10000000", "10000000")]
    [TestCase("1.24350000", "1.24350000")]
    [TestCase("-0.0000000000000000000000001", "-0.0000000000000000000000001")]
    [TestCase("null", "")]
    public void Text_KeepsKrakensDecimalTextByteForByte(string json, string expected)
    {
        Assert.That(KrakenJson.Text(Json(json)), Is.EqualTo(expected));
    }

    [TestCase("1688669597.8277369", 1688669597L, 827736900)]
    [TestCase("\"1688665496.7808\"", 1688665496L, 780800000)]
    [TestCase("1688669448", 1688669448L, 0)]
    [TestCase("1688669602.698379", 1688669602L, 698379000)]
    [TestCase("1688669602.1234567891", 1688669602L, 123456789)]
    public void UnixSeconds_KeepsEveryFractionalDigitUpToNanoseconds(string json, long seconds, int nanos)
    {
        var time = KrakenJson.UnixSeconds(Json(json))!;

        Assert.Multiple(() =>
        {
            Assert.That(time.Seconds, Is.EqualTo(seconds));
            Assert.That(time.Nanos, Is.EqualTo(nanos));
        });
    }

    [TestCase("0")]
    [TestCase("\"0\"")]
    [TestCase("0.0000")]
    [TestCase("null")]
    public void UnixSeconds_ZeroOrNull_MeansNoTime(string json)
    {
        Assert.That(KrakenJson.UnixSeconds(Json(json)), Is.Null);
    }

    [Test]
    public void UnixNanoseconds_BeyondDoublePrecision_AreExact()
    {
        // From Kraken's Level3 example: 1765622021013826600 is not representable as a double.
        var time = KrakenJson.UnixNanoseconds(1765622021013826600);

        Assert.Multiple(() =>
        {
            Assert.That(time.Seconds, Is.EqualTo(1765622021L));
            Assert.That(time.Nanos, Is.EqualTo(13826600));
        });
    }

    [TestCase("\"12x.5\"")]
    [TestCase("\"1.2.3\"")]
    [TestCase("{}")]
    public void UnixSeconds_NotATime_IsAnUnreadableAnswer(string json)
    {
        Assert.Catch(() => KrakenJson.UnixSeconds(Json(json)));
    }

    [TestCase("""{"altname":1}""", "altname")]
    [TestCase("""{"alt\u006eame":1}""", "altname")]
    [TestCase("""{"quote\/base":1}""", "quote/base")]
    [TestCase("""{"prix_unitaire_\u00e9":1}""", "prix_unitaire_\u00e9")]
    [TestCase("""{"prix_unitaire_é":1}""", "prix_unitaire_é")]
    [TestCase("""{"a_property_name_longer_than_the_buffer_of_32_characters":1}""", "a_property_name_longer_than_the_buffer_of_32_characters")]
    [TestCase("""{"":1}""", "")]
    public void NameOf_IsThePropertysNameUnescaped_WhateverItsLengthOrAlphabet(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        Span<char> buffer = stackalloc char[KrakenJson.NameBufferLength];

        var name = KrakenJson.NameOf(document.RootElement.EnumerateObject().Single(), buffer).ToString();

        Assert.That(name, Is.EqualTo(expected));
    }

    [TestCase("[]", new string[0])]
    [TestCase("""["1",2.50,"3"]""", new[] { "1", "2.50", "3" })]
    [TestCase("null", new string[0])]
    [TestCase("\"1,2\"", new string[0])]
    [TestCase("""{"0":"1"}""", new string[0])]
    public void Fill_AddsEachElementOfAnArray_AndNothingForAnythingElse(string json, string[] expected)
    {
        var list = new RepeatedField<string>();

        KrakenJson.Fill(list, Json(json), KrakenJson.Text);

        Assert.That(list, Is.EqualTo(expected));
    }

    [Test]
    public void Fill_OfAnAbsentProperty_AddsNothing()
    {
        var list = new RepeatedField<string>();

        KrakenJson.Fill(list, KrakenJson.Property(Json("""{"bids":[]}"""), "asks"), KrakenJson.Text);

        Assert.That(list, Is.Empty);
    }
}
