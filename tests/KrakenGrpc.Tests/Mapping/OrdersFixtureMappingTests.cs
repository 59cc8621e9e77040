using System.Text.Json;
using Google.Protobuf;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Mapping;

/// <summary>Every order fixture Kraken documents, mapped through the gateway's mappings: nothing lost, nothing reformatted.</summary>
public class OrdersFixtureMappingTests
{
    private const string SentClOrdId = "da8e4ad59b78481c93e589746b0cf91f";

    private static readonly SubmitBatchOrdersRequest SentBatch = new()
    {
        Pair = "XBTUSD",
        Orders =
        {
            new BatchOrder { ClOrdId = "6d1b345e-2821-40e2-ad83-4ecb18a06876" },
            new BatchOrder { Userref = 42 },
        },
    };

    private static readonly (string Fixture, Func<JsonElement, IMessage> Map)[] Mappings =
    [
        ("OpenOrders", r => OrdersMapping.ToOpenOrders(r)),
        ("ClosedOrders", r => OrdersMapping.ToClosedOrders(r)),
        ("QueryOrders", r => OrdersMapping.ToOrders(r)),
        ("OrderAmends", r => OrdersMapping.ToOrderAmends(r)),
        ("AddOrder", r => OrdersMapping.ToSubmitOrder(r, SentClOrdId)),
        ("AddOrderBatch", r => OrdersMapping.ToSubmitBatchOrders(r, SentBatch)),
        ("AmendOrder", r => OrdersMapping.ToAmendOrder(r)),
        ("EditOrder", r => OrdersMapping.ToEditOrder(r)),
        ("CancelOrder", r => OrdersMapping.ToCancelOrder(r)),
        ("CancelAll", r => OrdersMapping.ToCancelAllOrders(r)),
        ("CancelAllOrdersAfter", r => OrdersMapping.ToCancelAllOrdersAfter(r)),
        ("CancelOrderBatch", r => OrdersMapping.ToCancelBatchOrders(r)),
    ];

    private static IEnumerable<TestCaseData> Cases() => Mappings.Select(m => new TestCaseData(m.Fixture).SetName($"Fixture_{m.Fixture}_KeepsEveryDecimalTextByteForByte"));

    private static T Map<T>(string fixture, Func<JsonElement, T> map)
    {
        using var response = KrakenEnvelope.Parse(fixture, Fixtures.Bytes(fixture), TimeProvider.System);
        return map(response.Result);
    }

    private static T MapJson<T>(string json, Func<JsonElement, T> map)
    {
        using var document = JsonDocument.Parse(json);
        return map(document.RootElement);
    }

    [TestCaseSource(nameof(Cases))]
    public void EveryDecimalStringOfTheFixture_ArrivesUnchanged(string fixture)
    {
        var map = Mappings.Single(m => m.Fixture == fixture).Map;
        using var response = KrakenEnvelope.Parse(fixture, Fixtures.Bytes(fixture), TimeProvider.System);

        var expected = MessageText.DecimalStrings(response.Result);
        var mapped = MessageText.Strings(map(response.Result));

        foreach (var text in expected.Distinct())
        {
            Assert.That(mapped.Count(t => t == text), Is.GreaterThanOrEqualTo(expected.Count(t => t == text)), $"'{text}' lost in {fixture}");
        }
    }

    [Test]
    public void OpenOrders_MapEveryFieldOfTheOrder_KeyedByTxid()
    {
        var orders = Map("OpenOrders", OrdersMapping.ToOpenOrders).OpenOrders;
        var order = orders["OQCLML-BW3P3-BUCMWZ"];
        var leveraged = orders["OB5VMB-B4U2U-DK2WRW"];

        Assert.Multiple(() =>
        {
            Assert.That(orders.Keys, Is.EquivalentTo(new[] { "OQCLML-BW3P3-BUCMWZ", "OB5VMB-B4U2U-DK2WRW" }));
            Assert.That(order.ReferralOrderTxid, Is.Empty, "refid null");
            Assert.That(order.Userref, Is.Zero);
            Assert.That(order.ClOrdId, Is.Empty);
            Assert.That(order.Status, Is.EqualTo(OrderStatus.Open));
            Assert.That(order.OpenTime.Seconds, Is.EqualTo(1688666559));
            Assert.That(order.OpenTime.Nanos, Is.EqualTo(897_400_000));
            Assert.That(order.StartTime, Is.Null, "starttm 0 means none");
            Assert.That(order.ExpireTime, Is.Null, "expiretm 0 means none");
            Assert.That(order.CloseTime, Is.Null);
            Assert.That(order.Description.Pair, Is.EqualTo("XBTUSD"));
            Assert.That(order.Description.Side, Is.EqualTo(OrderSide.Buy));
            Assert.That(order.Description.OrderType, Is.EqualTo(OrderType.Limit));
            Assert.That(order.Description.Price, Is.EqualTo("30010.0"));
            Assert.That(order.Description.SecondaryPrice, Is.EqualTo("0"));
            Assert.That(order.Description.Leverage, Is.EqualTo("none"));
            Assert.That(order.Description.OrderSummary, Is.EqualTo("buy 1.25000000 XBTUSD @ limit 30010.0"));
            Assert.That(order.Description.CloseSummary, Is.Empty);
            Assert.That(order.Volume, Is.EqualTo("1.25000000"));
            Assert.That(order.VolumeExecuted, Is.EqualTo("0.37500000"));
            Assert.That(order.Cost, Is.EqualTo("11253.7"));
            Assert.That(order.Fee, Is.EqualTo("0.00000"));
            Assert.That(order.AveragePrice, Is.EqualTo("30010.0"));
            Assert.That(order.StopPrice, Is.EqualTo("0.00000"));
            Assert.That(order.LimitPrice, Is.EqualTo("0.00000"));
            Assert.That(order.MiscInfo, Is.Empty);
            Assert.That(order.OrderFlags, Is.EqualTo(new[] { OrderFlag.Fciq }));
            Assert.That(order.TradeIds, Is.EqualTo(new[] { "TCCCTY-WE2O6-P3NB37" }));
            Assert.That(order.Trigger, Is.EqualTo(TriggerType.Unspecified), "absent: Kraken's documented default, last");
            Assert.That(order.OnMargin, Is.False);
            Assert.That(leveraged.Userref, Is.EqualTo(45326));
            Assert.That(leveraged.Description.Leverage, Is.EqualTo("5:1"));
            Assert.That(leveraged.OpenTime.Nanos, Is.EqualTo(569_900_000));
            Assert.That(leveraged.TradeIds, Is.Empty);
        });
    }

    [Test]
    public void ClosedOrders_MapCloseTimeReasonTriggerAndTheTotalCount()
    {
        var closed = Map("ClosedOrders", OrdersMapping.ToClosedOrders);
        var order = closed.ClosedOrders["O37652-RJWRT-IMO74O"];

        Assert.Multiple(() =>
        {
            Assert.That(closed.HasTotalCount, Is.True);
            Assert.That(closed.TotalCount, Is.EqualTo(2));
            Assert.That(closed.ClosedOrders.Keys, Is.EquivalentTo(new[] { "O37652-RJWRT-IMO74O", "O6YDQ5-LOMWU-37YKEE" }));
            Assert.That(order.Status, Is.EqualTo(OrderStatus.Canceled));
            Assert.That(order.Reason, Is.EqualTo("User requested"));
            Assert.That(order.Userref, Is.EqualTo(1));
            Assert.That(order.OpenTime.Seconds, Is.EqualTo(1688148493));
            Assert.That(order.OpenTime.Nanos, Is.EqualTo(770_800_000));
            Assert.That(order.CloseTime.Seconds, Is.EqualTo(1688148610));
            Assert.That(order.CloseTime.Nanos, Is.EqualTo(48_200_000));
            Assert.That(order.Description.OrderType, Is.EqualTo(OrderType.StopLossLimit));
            Assert.That(order.Description.Pair, Is.EqualTo("XBTGBP"));
            Assert.That(order.Trigger, Is.EqualTo(TriggerType.Index));
            Assert.That(closed.ClosedOrders["O6YDQ5-LOMWU-37YKEE"].Description.OrderType, Is.EqualTo(OrderType.TakeProfitLimit));
            Assert.That(closed.ClosedOrders["O6YDQ5-LOMWU-37YKEE"].CloseTime.Nanos, Is.EqualTo(47_700_000));
        });
    }

    [Test]
    public void ClosedOrders_WithoutCount_LeaveTheTotalCountUnset()
    {
        var closed = MapJson("""{"closed":{}}""", OrdersMapping.ToClosedOrders);

        Assert.That(closed.HasTotalCount, Is.False);
    }

    [Test]
    public void QueryOrders_MapTheResultObjectKeyedByTxid_WithTradesAndNullReasons()
    {
        var orders = Map("QueryOrders", OrdersMapping.ToOrders).Orders;
        var stop = orders["OBCMZD-JIEE7-77TH3F"];
        var market = orders["OMMDB2-FSB6Z-7W3HPO"];

        Assert.Multiple(() =>
        {
            Assert.That(stop.Status, Is.EqualTo(OrderStatus.Closed));
            Assert.That(stop.Reason, Is.Empty, "reason null");
            Assert.That(stop.ReferralOrderTxid, Is.Empty, "refid null");
            Assert.That(stop.VolumeExecuted, Is.EqualTo("1.25000000"));
            Assert.That(stop.Cost, Is.EqualTo("27526.2"));
            Assert.That(stop.Fee, Is.EqualTo("26.2"));
            Assert.That(stop.TradeIds, Is.EqualTo(new[] { "TZX2WP-XSEOP-FP7WYR" }));
            Assert.That(stop.CloseTime.Nanos, Is.EqualTo(192_200_000));
            Assert.That(market.Description.Side, Is.EqualTo(OrderSide.Sell));
            Assert.That(market.Description.OrderType, Is.EqualTo(OrderType.Market));
            Assert.That(market.Description.Price, Is.EqualTo("0"));
            Assert.That(market.AveragePrice, Is.EqualTo("30000.0"));
            Assert.That(market.OrderFlags, Is.EqualTo(new[] { OrderFlag.Fcib }));
            Assert.That(market.CloseTime.Seconds, Is.EqualTo(1688592012));
            Assert.That(market.CloseTime.Nanos, Is.EqualTo(233_500_000));
        });
    }

    [Test]
    public void Order_SplitsMiscAndFlags_ReadsMarginAndIds_AndKeepsUnknownWordsAsUnspecified()
    {
        var order = MapJson("""
            {"refid":"OPRIMA-RY0000-000001","userref":null,"cl_ord_id":"arb-20240509-00010","status":"some-new-status",
             "opentm":1688666559.123456789,"starttm":1688666600,"expiretm":"1688670000.5","margin":true,
             "misc":"partial,amended","oflags":"post,fciq,some-new-flag","trigger":"some-new-signal",
             "sender_sub_id":null,"reason":null,"descr":{"type":"short","ordertype":"some-new-type"}}
            """, OrderMapping.ToOrderInfo);

        Assert.Multiple(() =>
        {
            Assert.That(order.ReferralOrderTxid, Is.EqualTo("OPRIMA-RY0000-000001"));
            Assert.That(order.Userref, Is.Zero, "userref null");
            Assert.That(order.ClOrdId, Is.EqualTo("arb-20240509-00010"));
            Assert.That(order.Status, Is.EqualTo(OrderStatus.Unspecified));
            Assert.That(order.OpenTime.Nanos, Is.EqualTo(123_456_789));
            Assert.That(order.StartTime.Seconds, Is.EqualTo(1688666600));
            Assert.That(order.ExpireTime.Nanos, Is.EqualTo(500_000_000));
            Assert.That(order.OnMargin, Is.True);
            Assert.That(order.MiscInfo, Is.EqualTo(new[] { "partial", "amended" }));
            Assert.That(order.OrderFlags, Is.EqualTo(new[] { OrderFlag.Post, OrderFlag.Fciq, OrderFlag.Unspecified }));
            Assert.That(order.Trigger, Is.EqualTo(TriggerType.Unspecified));
            Assert.That(order.SenderSubId, Is.Empty);
            Assert.That(order.Description.Side, Is.EqualTo(OrderSide.Unspecified));
            Assert.That(order.Description.OrderType, Is.EqualTo(OrderType.Unspecified));
        });
    }

    [Test]
    public void OrderAmends_KeepNanosecondTimestampsExactly_AndTheirOrder()
    {
        var amends = Map("OrderAmends", OrdersMapping.ToOrderAmends);

        Assert.Multiple(() =>
        {
            Assert.That(amends.Count, Is.EqualTo(3));
            Assert.That(amends.Amends.Select(a => a.AmendId), Is.EqualTo(new[] { "TSUN4B-EX2XN-WQ6GKG", "TF6VAW-VUWMX-6SXTCH", "TUMY4K-E4MPE-CSL2N3" }));
            Assert.That(amends.Amends.Select(a => a.AmendType), Is.EqualTo(new[] { OrderAmendType.Original, OrderAmendType.User, OrderAmendType.User }));
            Assert.That(amends.Amends[0].OrderQuantity, Is.EqualTo("0.01000000"));
            Assert.That(amends.Amends[0].RemainingQuantity, Is.EqualTo("0.01000000"));
            Assert.That(amends.Amends[0].DisplayQuantity, Is.Empty);
            Assert.That(amends.Amends[0].TriggerPrice, Is.Empty);
            Assert.That(amends.Amends[0].LimitPrice, Is.EqualTo("61032.8"));
            Assert.That(amends.Amends[2].LimitPrice, Is.EqualTo("61032.6"));
            Assert.That(amends.Amends[0].PostOnly, Is.False);
            Assert.That(amends.Amends[0].Time.Seconds, Is.EqualTo(1724158070));
            Assert.That(amends.Amends[0].Time.Nanos, Is.EqualTo(287_557_853));
            Assert.That(amends.Amends[2].Time.Nanos, Is.EqualTo(879_659_945));
        });
    }

    [Test]
    public void AddOrder_MapsSummariesAndTxids_AndReturnsTheClientOrderIdItWasSentWith()
    {
        var placed = Map("AddOrder", r => OrdersMapping.ToSubmitOrder(r, SentClOrdId));

        Assert.Multiple(() =>
        {
            Assert.That(placed.OrderSummary, Is.EqualTo("buy 2.12340000 XBTUSD @ limit 25000.1 with 2:1 leverage"));
            Assert.That(placed.CloseSummary, Is.EqualTo("close position @ stop loss 22000.0 -> limit 21000.0"));
            Assert.That(placed.Txids, Is.EqualTo(new[] { "OUF4EM-FRGI2-MQMWZD" }));
            Assert.That(placed.ClOrdId, Is.EqualTo(SentClOrdId));
        });
    }

    [Test]
    public void AddOrder_Validated_HasNoTxid()
    {
        var validated = MapJson("""{"descr":{"order":"buy 1.25000000 XBTUSD @ limit 30010.0"}}""", r => OrdersMapping.ToSubmitOrder(r, SentClOrdId));

        Assert.Multiple(() =>
        {
            Assert.That(validated.Txids, Is.Empty);
            Assert.That(validated.CloseSummary, Is.Empty);
            Assert.That(validated.OrderSummary, Is.EqualTo("buy 1.25000000 XBTUSD @ limit 30010.0"));
        });
    }

    [Test]
    public void AddOrderBatch_MapsEachResultInRequestOrder_WithTheClientOrderIdItsOrderWasSentWith()
    {
        var batch = Map("AddOrderBatch", r => OrdersMapping.ToSubmitBatchOrders(r, SentBatch)).Orders;

        Assert.Multiple(() =>
        {
            Assert.That(batch, Has.Count.EqualTo(2));
            Assert.That(batch[0].Txid, Is.EqualTo("O5OR23-ADFAD-Y2G61C"));
            Assert.That(batch[0].OrderSummary, Is.EqualTo("buy 0.80300000 XBTUSD @ limit 28300.0"));
            Assert.That(batch[0].CloseSummary, Is.EqualTo("close position @ stop loss 27000.0 -> limit 26000.0"), "beside descr, as in Kraken's example");
            Assert.That(batch[0].Error, Is.Empty);
            Assert.That(batch[0].ClOrdId, Is.EqualTo("6d1b345e-2821-40e2-ad83-4ecb18a06876"));
            Assert.That(batch[1].Txid, Is.EqualTo("9K6KFS-5H3PL-XBRC7A"));
            Assert.That(batch[1].OrderSummary, Is.EqualTo("sell 0.10500000 XBTUSD @ limit 36000.0"));
            Assert.That(batch[1].CloseSummary, Is.Empty);
            Assert.That(batch[1].ClOrdId, Is.Empty, "sent with a userref");
        });
    }

    [Test]
    public void AddOrderBatch_AnOrderRejectedAlone_CarriesItsError_AndACloseInsideDescrIsRead()
    {
        var batch = MapJson("""
            {"orders":[{"descr":{"order":"buy 1 XBTUSD @ limit 1.0","close":"close position @ limit 2.0"},"txid":"OAAAAA-AAAAA-AAAAAA"},
                       {"error":"EOrder:Insufficient funds"}]}
            """, r => OrdersMapping.ToSubmitBatchOrders(r, SentBatch)).Orders;

        Assert.Multiple(() =>
        {
            Assert.That(batch[0].CloseSummary, Is.EqualTo("close position @ limit 2.0"));
            Assert.That(batch[1].Txid, Is.Empty);
            Assert.That(batch[1].Error, Is.EqualTo("EOrder:Insufficient funds"));
            Assert.That(batch[1].OrderSummary, Is.Empty);
        });
    }

    [Test]
    public void AmendOrder_EditOrder_AndTheCancels_MapTheirFields()
    {
        var amended = Map("AmendOrder", OrdersMapping.ToAmendOrder);
        var edited = Map("EditOrder", OrdersMapping.ToEditOrder);
        var cancelled = Map("CancelOrder", OrdersMapping.ToCancelOrder);
        var cancelledAll = Map("CancelAll", OrdersMapping.ToCancelAllOrders);
        var cancelledBatch = Map("CancelOrderBatch", OrdersMapping.ToCancelBatchOrders);

        Assert.Multiple(() =>
        {
            Assert.That(amended.AmendId, Is.EqualTo("TEZA4R-DSDGT-IJBOJK"));
            Assert.That(edited.Status, Is.EqualTo(EditOrderStatus.Ok));
            Assert.That(edited.NewTxid, Is.EqualTo("OFVXHJ-KPQ3B-VS7ELA"));
            Assert.That(edited.OriginalTxid, Is.EqualTo("OHYO67-6LP66-HMQ437"));
            Assert.That(edited.Volume, Is.EqualTo("0.00030000"));
            Assert.That(edited.Price, Is.EqualTo("19500.0"));
            Assert.That(edited.SecondaryPrice, Is.EqualTo("32500.0"));
            Assert.That(edited.OrdersCancelled, Is.EqualTo(1));
            Assert.That(edited.OrderSummary, Is.EqualTo("buy 0.00030000 XXBTZGBP @ limit 19500.0"));
            Assert.That(edited.HasNewUserref, Is.False);
            Assert.That(edited.HasOldUserref, Is.False);
            Assert.That(edited.ErrorMessage, Is.Empty);
            Assert.That(cancelled.Count, Is.EqualTo(1));
            Assert.That(cancelled.Pending, Is.False, "pending absent");
            Assert.That(cancelledAll.Count, Is.EqualTo(1));
            Assert.That(cancelledBatch.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void EditOrder_Failed_MapsErrStatusTheMessageAndTheUserrefsSentAsText()
    {
        var edited = MapJson("""{"status":"Err","error_message":"EOrder:Invalid order","newuserref":"12","olduserref":"7","orders_cancelled":0}""",
            OrdersMapping.ToEditOrder);

        Assert.Multiple(() =>
        {
            Assert.That(edited.Status, Is.EqualTo(EditOrderStatus.Err));
            Assert.That(edited.ErrorMessage, Is.EqualTo("EOrder:Invalid order"));
            Assert.That(edited.NewUserref, Is.EqualTo(12));
            Assert.That(edited.OldUserref, Is.EqualTo(7));
            Assert.That(edited.OrdersCancelled, Is.Zero);
        });
    }

    [Test]
    public void CancelOrder_Pending_IsReported()
    {
        var cancelled = MapJson("""{"count":1,"pending":true}""", OrdersMapping.ToCancelOrder);

        Assert.That(cancelled.Pending, Is.True);
    }

    [Test]
    public void CancelAllOrdersAfter_MapsBothRfc3339Times_AndATimerSwitchedOffLeavesTheTriggerUnset()
    {
        var armed = Map("CancelAllOrdersAfter", OrdersMapping.ToCancelAllOrdersAfter);
        var off = MapJson("""{"currentTime":"2023-03-24T17:41:56Z","triggerTime":"0"}""", OrdersMapping.ToCancelAllOrdersAfter);

        Assert.Multiple(() =>
        {
            Assert.That(armed.CurrentTime.ToDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2023, 3, 24, 17, 41, 56, TimeSpan.Zero)));
            Assert.That(armed.TriggerTime.ToDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2023, 3, 24, 17, 42, 56, TimeSpan.Zero)));
            Assert.That(off.CurrentTime, Is.Not.Null);
            Assert.That(off.TriggerTime, Is.Null);
        });
    }
}
