using System.Text;
using Grpc.Core;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Responses;

namespace KrakenGrpc.Tests.Kraken;

public class KrakenEnvelopeTests
{
    private static KrakenResponse Parse(string json) => KrakenEnvelope.Parse("Test", Encoding.UTF8.GetBytes(json), TimeProvider.System);

    [Test]
    public void ErrorEntry_FailsTheCall_WithTheClassifiedStatusAndKrakensText()
    {
        var failure = Assert.Throws<KrakenException>(() => Parse("""{"error":["EQuery:Unknown asset pair"]}"""))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.ErrorClass.Code, Is.EqualTo(StatusCode.NotFound));
            Assert.That(failure.ErrorClass.Reason, Is.EqualTo("UNKNOWN_ASSET_PAIR"));
            Assert.That(failure.KrakenErrors, Is.EqualTo(new[] { "EQuery:Unknown asset pair" }));
            Assert.That(failure.Message, Does.Contain("EQuery:Unknown asset pair"));
        });
    }

    [Test]
    public void WarningEntry_DoesNotFailTheCall_AndTravelsWithTheResult()
    {
        using var response = Parse("""{"error":["WOrder:Something to know"],"result":{"txid":["OABC-1"]}}""");

        Assert.Multiple(() =>
        {
            Assert.That(response.Warnings, Is.EqualTo(new[] { "WOrder:Something to know" }));
            Assert.That(response.Result.GetProperty("txid")[0].GetString(), Is.EqualTo("OABC-1"));
        });
    }

    [Test]
    public void ErrorBesideWarning_FailsOnTheError()
    {
        var failure = Assert.Throws<KrakenException>(() => Parse("""{"error":["WGeneral:Note","EOrder:Insufficient funds"],"result":{}}"""))!;

        Assert.That(failure.ErrorClass.Reason, Is.EqualTo("INSUFFICIENT_FUNDS"));
    }

    [TestCase("""{"error":[],"result":true}""", "True")]
    [TestCase("""{"error":[],"result":[{"method":"Bitcoin"}]}""", "Array")]
    [TestCase("""{"error":[],"result":null}""", "Null")]
    public void BareScalarAndArrayResults_AreResults(string json, string kind)
    {
        using var response = Parse(json);

        Assert.That(response.Result.ValueKind.ToString(), Is.EqualTo(kind));
    }

    [TestCase("""{"error":[],"res""")]
    [TestCase("<html>502 Bad Gateway</html>")]
    [TestCase("""["not","an","envelope"]""")]
    [TestCase("""{"error":[]}""")]
    [TestCase("""{"error":"EGeneral:Invalid arguments"}""")]
    public void UnreadableBodies_FailAsInternal(string body)
    {
        var failure = Assert.Throws<KrakenException>(() => Parse(body))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.ErrorClass.Code, Is.EqualTo(StatusCode.Internal));
            Assert.That(failure.ErrorClass.Reason, Is.EqualTo("UNREADABLE_RESPONSE"));
        });
    }

    [Test]
    public void ErrorsOf_ReadsOnlyTheErrorArray_EvenWhenTheResultIsCutOff()
    {
        var body = Encoding.UTF8.GetBytes("""{"error":["EService:Unavailable","WGeneral:x"],"result":{"truncated":""");

        Assert.That(KrakenEnvelope.ErrorsOf(body), Is.EqualTo(new[] { "EService:Unavailable" }));
    }

    [TestCase("""{"error":[],"result":{}}""")]
    [TestCase("garbage")]
    [TestCase("")]
    public void ErrorsOf_IsEmpty_ForSuccessesAndNonEnvelopes(string body)
    {
        Assert.That(KrakenEnvelope.ErrorsOf(Encoding.UTF8.GetBytes(body)), Is.Empty);
    }
}
