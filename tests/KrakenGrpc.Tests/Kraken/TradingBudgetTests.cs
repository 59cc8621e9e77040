using System.Text.Json;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Lanes;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.Time.Testing;

namespace KrakenGrpc.Tests.Kraken;

/// <summary>The per-pair trading counter model against the worked example and table of protocol.md §8.2.</summary>
public class TradingBudgetTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private TradingBudget _budget = null!;

    [SetUp]
    public void Create()
    {
        var limits = KrakenTierLimits.For(KrakenTier.Starter);
        _budget = new TradingBudget(limits, _ => new DecayingCounter(limits.TradingCounterMax, limits.TradingCounterDecayPerSecond, _clock), new InProcessOrderLedger(), _clock);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private ValueTask Place(string txid, string pair = "XBTUSD", string? clientOrderId = null) =>
        _budget.RecordAsync(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", pair).Add("cl_ord_id", clientOrderId), Json($$"""{"txid":["{{txid}}"]}"""));

    [Test]
    public async Task AddOrder_CostsOne_OnItsPair_AndBatchesCostHalfAPointPerOrder()
    {
        var single = await _budget.ChargeForAsync(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", "XBT/USD"));
        var batch = await _budget.ChargeForAsync(KrakenEndpoints.AddOrderBatch, new KrakenParameters().Add("pair", "XBTUSD")
            .Add("orders", Enumerable.Range(0, 5).Select(_ => new KrakenParameters().Add("volume", "1")).ToArray()));

        Assert.Multiple(() =>
        {
            Assert.That(single, Is.EqualTo(("XBT/USD", 1.0)));
            Assert.That(batch, Is.EqualTo(("XBTUSD", 2.5)));
        });
    }

    [Test]
    public async Task WorkedExampleOfTheDocs_AddAmendAfter7sCancel36sLater_Costs8()
    {
        var add = (await _budget.ChargeForAsync(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", "XBTUSD")))!.Value.Points;
        await Place("OAAAAA-AAAAA-AAAAAA");
        _clock.Advance(TimeSpan.FromSeconds(7));
        var amend = (await _budget.ChargeForAsync(KrakenEndpoints.AmendOrder, new KrakenParameters().Add("txid", "OAAAAA-AAAAA-AAAAAA")))!.Value.Points;
        await _budget.RecordAsync(KrakenEndpoints.AmendOrder, new KrakenParameters().Add("txid", "OAAAAA-AAAAA-AAAAAA"), Json("""{"amend_id":"TX"}"""));
        _clock.Advance(TimeSpan.FromSeconds(36));
        var cancel = (await _budget.ChargeForAsync(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OAAAAA-AAAAA-AAAAAA")))!.Value.Points;

        Assert.That(add + amend + cancel, Is.EqualTo(8));
    }

    [TestCase(1, 8)]
    [TestCase(7, 6)]
    [TestCase(12, 5)]
    [TestCase(30, 4)]
    [TestCase(60, 2)]
    [TestCase(200, 1)]
    public async Task CancelOrder_CostsLessTheOlderTheOrder(int ageSeconds, double points)
    {
        await Place("OBBBBB-BBBBB-BBBBBB", clientOrderId: "my-order-1");
        _clock.Advance(TimeSpan.FromSeconds(ageSeconds));

        var byTxid = await _budget.ChargeForAsync(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OBBBBB-BBBBB-BBBBBB"));
        var byClientId = await _budget.ChargeForAsync(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("cl_ord_id", "my-order-1"));

        Assert.Multiple(() =>
        {
            Assert.That(byTxid!.Value.Points, Is.EqualTo(points));
            Assert.That(byClientId!.Value.Points, Is.EqualTo(points));
        });
    }

    [Test]
    public async Task CancelOrder_OfAnOrderOlderThan300s_IsFree_AndOfAnUnknownOrderCannotBePriced()
    {
        await Place("OCCCCC-CCCCC-CCCCCC");
        _clock.Advance(TimeSpan.FromSeconds(301));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await _budget.ChargeForAsync(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OCCCCC-CCCCC-CCCCCC")))!.Value.Points, Is.Zero);
            Assert.That(await _budget.ChargeForAsync(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "OUNKNO-WNNNN-NNNNNN")), Is.Null);
        });
    }

    [Test]
    public async Task ValidateOnly_IsNotCharged()
    {
        Assert.That(await _budget.ChargeForAsync(KrakenEndpoints.AddOrder, new KrakenParameters().Add("pair", "XBTUSD").Add("validate", true)), Is.Null);
    }

    [Test]
    public async Task CancelAll_ChargesEveryKnownOrderOnItsPair_AndForgetsThem()
    {
        await Place("ODDDDD-DDDDD-DDDDDD", "XBTUSD");
        await Place("OEEEEE-EEEEE-EEEEEE", "ETHUSD");

        await _budget.RecordAsync(KrakenEndpoints.CancelAll, new KrakenParameters(), Json("""{"count":2}"""));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(_budget.CounterFor("XBTUSD").Value, Is.EqualTo(8));
            Assert.That(_budget.CounterFor("ETHUSD").Value, Is.EqualTo(8));
            Assert.That(await _budget.ChargeForAsync(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("txid", "ODDDDD-DDDDD-DDDDDD")), Is.Null);
        });
    }

    [Test]
    public async Task OpenOrdersCap_IsSuspectedAtTheTiersLimit_AndClearedByKrakensOwnList()
    {
        for (var i = 0; i < 60; i++)
        {
            await Place($"O{i:D5}-AAAAA-AAAAAA");
        }
        var order = new KrakenParameters().Add("pair", "XBTUSD");
        var suspectedBefore = await _budget.MayExceedOpenOrdersAsync(KrakenEndpoints.AddOrder, order);

        // Kraken says only two of them are still open (the rest filled).
        await _budget.ReplaceOpenOrdersAsync(Json("""{"open":{"O00001-AAAAA-AAAAAA":{"descr":{"pair":"XBTUSD"}},"O00002-AAAAA-AAAAAA":{"descr":{"pair":"XBTUSD"}}}}"""));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(suspectedBefore, Is.True);
            Assert.That(await _budget.OpenOrdersOnAsync("XBTUSD"), Is.EqualTo(2));
            Assert.That(await _budget.MayExceedOpenOrdersAsync(KrakenEndpoints.AddOrder, order), Is.False);
        });
    }

    [Test]
    public async Task BatchOrders_AreTrackedByTheClientIdsThatWereSent()
    {
        var sent = new KrakenParameters().Add("pair", "ETHUSD").Add("orders", new[]
        {
            new KrakenParameters().Add("cl_ord_id", "first"),
            new KrakenParameters().Add("cl_ord_id", "second"),
        });
        await _budget.RecordAsync(KrakenEndpoints.AddOrderBatch, sent, Json("""{"orders":[{"txid":"O11111-11111-111111"},{"txid":"O22222-22222-222222"}]}"""));

        var charge = await _budget.ChargeForAsync(KrakenEndpoints.CancelOrder, new KrakenParameters().Add("cl_ord_id", "second"));

        Assert.That(charge, Is.EqualTo(("ETHUSD", 8.0)));
    }
}
