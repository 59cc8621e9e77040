using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Validation;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KrakenGrpc.Tests.Mapping;

/// <summary>
/// What OrdersService sends Kraken: the exact body bytes for each kind of order and call, and every input the
/// gateway refuses (INVALID_ARGUMENT with one BadRequest field violation per problem) before anything is sent.
/// </summary>
public class OrdersParametersTests
{
    private const string ClOrdId = "arb-20240509-00010";

    private static readonly DateTimeOffset Now = new(2024, 5, 9, 12, 0, 0, TimeSpan.Zero);

    private static FakeTimeProvider Clock() => new(Now);

    private static Timestamp At(double secondsFromNow) => Timestamp.FromDateTimeOffset(Now.AddSeconds(secondsFromNow));

    private static string Form(KrakenParameters parameters) => KrakenRequestEncoder.EncodeForm(parameters);

    private static string Json(KrakenParameters parameters) => Encoding.UTF8.GetString(KrakenRequestEncoder.EncodeJson(parameters));

    private static SubmitOrderRequest Limit() => new()
    {
        Pair = "XBTUSD",
        Type = OrderSide.Buy,
        Ordertype = OrderType.Limit,
        Volume = "1.25",
        Price = "30010.0",
        ClOrdId = ClOrdId,
    };

    private static BatchOrder BatchLimit(string price) => new()
    {
        Type = OrderSide.Buy,
        Ordertype = OrderType.Limit,
        Volume = "0.5",
        Price = price,
    };

    /// <summary>Runs a mapping that must refuse its input; returns the fields the refusal names.</summary>
    private static List<string> RefusedFields(TestDelegate build)
    {
        var refusal = Assert.Throws<RpcException>(build)!;
        Assert.That(refusal.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(refusal.ErrorInfo().Reason, Is.EqualTo(RequestValidation.Reason));
        return refusal.BadRequest()!.FieldViolations.Select(v => v.Field).ToList();
    }

    private static List<string> RefusedFields(SubmitOrderRequest request) => RefusedFields(() => OrdersMapping.Parameters(request, Clock()));

    private const string ShortUuid = "^[0-9a-f]{32}$";

    // ---- Every order type, encoded exactly ------------------------------------------------------------------

    private static IEnumerable<TestCaseData> OrdersOfEveryType()
    {
        yield return Case("Market_BuyingAQuoteAmountWithViqc",
            new() { Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.Market, Volume = "100.00", Oflags = { OrderFlag.Viqc }, ClOrdId = ClOrdId },
            "pair=XBTUSD&type=buy&ordertype=market&volume=100.00&oflags=viqc&cl_ord_id=arb-20240509-00010");
        yield return Case("Limit_PostOnlyGoodTilDate_FlagsAsACommaList",
            new()
            {
                Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "1.25", Price = "30010.0",
                Oflags = { OrderFlag.Post, OrderFlag.Fciq }, Timeinforce = TimeInForce.Gtd, Expiretm = "+3600", Userref = 42,
            },
            "pair=XBTUSD&type=buy&ordertype=limit&volume=1.25&price=30010.0&oflags=post%2Cfciq&timeinforce=GTD&expiretm=%2b3600&userref=42");
        yield return Case("Iceberg_WithItsVisibleVolume",
            new() { Pair = "XBTUSD", Type = OrderSide.Sell, Ordertype = OrderType.Iceberg, Volume = "3.0", Displayvol = "0.2", Price = "31000.5", ClOrdId = ClOrdId },
            "pair=XBTUSD&type=sell&ordertype=iceberg&volume=3.0&displayvol=0.2&price=31000.5&cl_ord_id=arb-20240509-00010");
        yield return Case("StopLoss_OnTheIndexPrice",
            new() { Pair = "XBTUSD", Type = OrderSide.Sell, Ordertype = OrderType.StopLoss, Volume = "0.5", Price = "28000", Trigger = TriggerType.Index, ClOrdId = ClOrdId },
            "pair=XBTUSD&type=sell&ordertype=stop-loss&volume=0.5&price=28000&trigger=index&cl_ord_id=arb-20240509-00010");
        yield return Case("TakeProfit_HashRelativePercentage",
            new() { Pair = "XBTUSD", Type = OrderSide.Sell, Ordertype = OrderType.TakeProfit, Volume = "0.5", Price = "#2%", ClOrdId = ClOrdId },
            "pair=XBTUSD&type=sell&ordertype=take-profit&volume=0.5&price=%232%25&cl_ord_id=arb-20240509-00010");
        yield return Case("StopLossLimit_TriggerAndLimitPrices",
            new() { Pair = "XBTUSD", Type = OrderSide.Sell, Ordertype = OrderType.StopLossLimit, Volume = "1", Price = "27500.0", Price2 = "27400.0", ClOrdId = ClOrdId },
            "pair=XBTUSD&type=sell&ordertype=stop-loss-limit&volume=1&price=27500.0&price2=27400.0&cl_ord_id=arb-20240509-00010");
        yield return Case("TakeProfitLimit_PlusRelativeTriggerSentAsPercent2b",
            new() { Pair = "XBTUSD", Type = OrderSide.Sell, Ordertype = OrderType.TakeProfitLimit, Volume = "1", Price = "+100", Price2 = "-5", ClOrdId = ClOrdId },
            "pair=XBTUSD&type=sell&ordertype=take-profit-limit&volume=1&price=%2b100&price2=-5&cl_ord_id=arb-20240509-00010");
        yield return Case("TrailingStop_PlusPercentageOffset",
            new() { Pair = "XBTUSD", Type = OrderSide.Sell, Ordertype = OrderType.TrailingStop, Volume = "1", Price = "+1.5%", ClOrdId = ClOrdId },
            "pair=XBTUSD&type=sell&ordertype=trailing-stop&volume=1&price=%2b1.5%25&cl_ord_id=arb-20240509-00010");
        yield return Case("TrailingStopLimit_OffsetAndLimitOffset",
            new() { Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.TrailingStopLimit, Volume = "1", Price = "+50", Price2 = "-0.5%", ClOrdId = ClOrdId },
            "pair=XBTUSD&type=buy&ordertype=trailing-stop-limit&volume=1&price=%2b50&price2=-0.5%25&cl_ord_id=arb-20240509-00010");
        yield return Case("SettlePosition_WholePositionWithVolumeZero",
            new() { Pair = "XBTUSD", Type = OrderSide.Sell, Ordertype = OrderType.SettlePosition, Volume = "0", Leverage = "2", Userref = 7 },
            "pair=XBTUSD&type=sell&ordertype=settle-position&volume=0&leverage=2&userref=7");
        yield return Case("Limit_WithAConditionalStopLossLimitClose",
            new()
            {
                Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "2.1234", Price = "25000.1", Leverage = "2:1",
                Close = new ConditionalClose { Ordertype = OrderType.StopLossLimit, Price = "22000.0", Price2 = "21000.0" }, ClOrdId = ClOrdId,
            },
            "pair=XBTUSD&type=buy&ordertype=limit&volume=2.1234&price=25000.1&leverage=2%3A1"
            + "&close%5Bordertype%5D=stop-loss-limit&close%5Bprice%5D=22000.0&close%5Bprice2%5D=21000.0&cl_ord_id=arb-20240509-00010");

        static TestCaseData Case(string name, SubmitOrderRequest request, string body) =>
            new TestCaseData(request, body).SetName($"SubmitOrder_{name}_IsEncodedExactly");
    }

    [TestCaseSource(nameof(OrdersOfEveryType))]
    public void SubmitOrder_Body(SubmitOrderRequest request, string body)
    {
        Assert.That(Form(OrdersMapping.Parameters(request, Clock())), Is.EqualTo(body));
    }

    [Test]
    public void SubmitOrder_WithEveryOptionalField_SendsEachUnderKrakensName_DeadlineAsRfc3339()
    {
        var request = new SubmitOrderRequest
        {
            Pair = "AAPLxUSD", Type = OrderSide.Buy, Ordertype = OrderType.StopLossLimit, Volume = "1.5", Price = "-1%", Price2 = "#0.5",
            Trigger = TriggerType.Last, ReduceOnly = false, Stptype = SelfTradePrevention.CancelBoth, Oflags = { OrderFlag.Fcib },
            Timeinforce = TimeInForce.Ioc, Starttm = "0", Expiretm = "1715299200", Deadline = At(30.75), Validate = true,
            ClOrdId = "6d1b345e-2821-40e2-ad83-4ecb18a06876", AssetClass = "tokenized_asset", Broker = "AA12 N84G ABCD", Otp = "123456",
        };

        var body = Form(OrdersMapping.Parameters(request, Clock()));

        Assert.That(body, Is.EqualTo(
            "pair=AAPLxUSD&type=buy&ordertype=stop-loss-limit&volume=1.5&price=-1%25&price2=%230.5&trigger=last&reduce_only=false"
            + "&stptype=cancel-both&oflags=fcib&timeinforce=IOC&starttm=0&expiretm=1715299200&cl_ord_id=6d1b345e-2821-40e2-ad83-4ecb18a06876"
            + "&deadline=2024-05-09T12%3A00%3A30Z&validate=true&asset_class=tokenized_asset&broker=AA12%20N84G%20ABCD&otp=123456"));
    }

    [Test]
    public void SubmitOrder_WithNeitherClOrdIdNorUserref_GetsAGeneratedClOrdId_SentAndReturned()
    {
        var request = Limit();
        request.ClOrdId = string.Empty;

        var sent = ClientOrderIds.Assign(request);
        var body = Form(OrdersMapping.Parameters(sent, Clock()));
        using var answer = System.Text.Json.JsonDocument.Parse("""{"txid":["OUF4EM-FRGI2-MQMWZD"]}""");
        var response = OrdersMapping.ToSubmitOrder(answer.RootElement, sent.ClOrdId);

        Assert.Multiple(() =>
        {
            Assert.That(sent.ClOrdId, Does.Match(ShortUuid));
            Assert.That(body, Is.EqualTo($"pair=XBTUSD&type=buy&ordertype=limit&volume=1.25&price=30010.0&cl_ord_id={sent.ClOrdId}"));
            Assert.That(response.ClOrdId, Is.EqualTo(sent.ClOrdId));
            Assert.That(request.ClOrdId, Is.Empty, "the caller's message is not changed");
        });
    }

    [Test]
    public void ClientOrderIds_AreKrakensShortUuidForm_32LowercaseHex_FreshEachTime()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => ClientOrderIds.New()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.All.Match(ShortUuid));
            Assert.That(ids, Is.Unique);
        });
    }

    [Test]
    public void SubmitOrder_WithTheCallersClOrdIdOrUserref_KeepsIt_AndGeneratesNothing()
    {
        var withClOrdId = ClientOrderIds.Assign(Limit());
        var withUserref = Limit();
        withUserref.ClOrdId = string.Empty;
        withUserref.Userref = 0;

        var sentWithUserref = ClientOrderIds.Assign(withUserref);

        Assert.Multiple(() =>
        {
            Assert.That(withClOrdId.ClOrdId, Is.EqualTo(ClOrdId));
            Assert.That(sentWithUserref.ClOrdId, Is.Empty);
            Assert.That(Form(OrdersMapping.Parameters(sentWithUserref, Clock())), Does.EndWith("&userref=0"));
        });
    }

    // ---- Batches: JSON bodies ---------------------------------------------------------------------------------

    [Test]
    public void SubmitBatchOrders_IsAJsonBody_OrdersAsObjects_CloseNested_FlagsAsACommaString()
    {
        var request = new SubmitBatchOrdersRequest
        {
            Pair = "XBTUSD",
            Orders =
            {
                new BatchOrder
                {
                    Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.80300000", Price = "28300.0",
                    Close = new ConditionalClose { Ordertype = OrderType.StopLossLimit, Price = "27000.0", Price2 = "26000.0" },
                    ClOrdId = "6d1b345e-2821-40e2-ad83-4ecb18a06876",
                },
                new BatchOrder
                {
                    Type = OrderSide.Sell, Ordertype = OrderType.Limit, Volume = "0.10500000", Price = "+5%", Oflags = { OrderFlag.Post, OrderFlag.Fcib },
                    Timeinforce = TimeInForce.Gtc, Userref = 42,
                },
            },
            Deadline = At(30),
            Validate = true,
        };

        var body = Json(OrdersMapping.Parameters(request, Clock()));

        const string expected =
            """{"pair":"XBTUSD","orders":[{"type":"buy","ordertype":"limit","volume":"0.80300000","price":"28300.0","close":{"ordertype":"stop-loss-limit","price":"27000.0","price2":"26000.0"},"cl_ord_id":"6d1b345e-2821-40e2-ad83-4ecb18a06876"},{"type":"sell","ordertype":"limit","volume":"0.10500000","price":"+5%","oflags":"post,fcib","timeinforce":"GTC","userref":42}],"deadline":"2024-05-09T12:00:30Z","validate":true}""";
        Assert.That(body, Is.EqualTo(expected));
    }

    [Test]
    public void SubmitBatchOrders_EachOrderWithoutAnId_GetsItsOwnGeneratedClOrdId_ReturnedWithItsResult()
    {
        var request = new SubmitBatchOrdersRequest { Pair = "XBTUSD", Orders = { BatchLimit("1.0"), BatchLimit("2.0"), BatchLimit("3.0") } };
        request.Orders[1].Userref = 9;

        var sent = ClientOrderIds.Assign(request);
        var body = Json(OrdersMapping.Parameters(sent, Clock()));
        using var answer = System.Text.Json.JsonDocument.Parse("""{"orders":[{"txid":"OA"},{"txid":"OB"},{"txid":"OC"}]}""");
        var results = OrdersMapping.ToSubmitBatchOrders(answer.RootElement, sent).Orders;

        Assert.Multiple(() =>
        {
            Assert.That(sent.Orders[0].ClOrdId, Does.Match(ShortUuid));
            Assert.That(sent.Orders[1].ClOrdId, Is.Empty);
            Assert.That(sent.Orders[2].ClOrdId, Does.Match(ShortUuid));
            Assert.That(sent.Orders[0].ClOrdId, Is.Not.EqualTo(sent.Orders[2].ClOrdId));
            Assert.That(body, Does.Contain($"\"cl_ord_id\":\"{sent.Orders[0].ClOrdId}\"").And.Contain($"\"cl_ord_id\":\"{sent.Orders[2].ClOrdId}\""));
            Assert.That(results.Select(r => r.ClOrdId), Is.EqualTo(sent.Orders.Select(o => o.ClOrdId)));
            Assert.That(request.Orders[0].ClOrdId, Is.Empty, "the caller's message is not changed");
        });
    }

    [Test]
    public void CancelBatchOrders_IsAJsonBody_WithPlainStringArrays()
    {
        var request = new CancelBatchOrdersRequest { Orders = { "OG5V2Y-RYKVL-DT3V3B", "123" }, ClOrdIds = { ClOrdId }, Otp = "654321" };

        Assert.That(Json(OrdersMapping.Parameters(request)),
            Is.EqualTo("""{"orders":["OG5V2Y-RYKVL-DT3V3B","123"],"cl_ord_ids":["arb-20240509-00010"],"otp":"654321"}"""));
    }

    // ---- The other calls, encoded exactly -------------------------------------------------------------------

    [Test]
    public void QueriesAndCancels_SendOnlyWhatTheCallerSet_UnderKrakensNames()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(OrdersMapping.Parameters(new GetOpenOrdersRequest())), Is.Empty);
            Assert.That(Form(OrdersMapping.Parameters(new GetOpenOrdersRequest
            {
                Trades = true, Userref = 0, ClOrdId = ClOrdId, RebaseMultiplier = RebaseMultiplier.Base, Otp = "123456",
            })), Is.EqualTo("trades=true&userref=0&cl_ord_id=arb-20240509-00010&rebase_multiplier=base&otp=123456"));
            Assert.That(Form(OrdersMapping.Parameters(new GetClosedOrdersRequest
            {
                Trades = false, Userref = -5, Start = "1688666559", End = "OQCLML-BW3P3-BUCMWZ", Ofs = 50, Closetime = ClosedOrdersCloseTime.Close,
                ConsolidateTaker = false, WithoutCount = true, RebaseMultiplier = RebaseMultiplier.Rebased,
            })), Is.EqualTo("trades=false&userref=-5&start=1688666559&end=OQCLML-BW3P3-BUCMWZ&ofs=50&closetime=close"
                + "&consolidate_taker=false&without_count=true&rebase_multiplier=rebased"));
            Assert.That(Form(OrdersMapping.Parameters(new GetOrdersRequest
            {
                Txid = { "OBCMZD-JIEE7-77TH3F", "OMMDB2-FSB6Z-7W3HPO" }, Trades = true, ConsolidateTaker = true,
            })), Is.EqualTo("txid=OBCMZD-JIEE7-77TH3F%2COMMDB2-FSB6Z-7W3HPO&trades=true&consolidate_taker=true"));
            Assert.That(Form(OrdersMapping.Parameters(new GetOrderAmendsRequest { OrderId = "OQCLML-BW3P3-BUCMWZ" })),
                Is.EqualTo("order_id=OQCLML-BW3P3-BUCMWZ"));
            Assert.That(Form(OrdersMapping.Parameters(new CancelOrderRequest { Txid = "OQCLML-BW3P3-BUCMWZ" })), Is.EqualTo("txid=OQCLML-BW3P3-BUCMWZ"));
            Assert.That(Form(OrdersMapping.Parameters(new CancelOrderRequest { ClOrdId = ClOrdId, Otp = "1" })), Is.EqualTo("cl_ord_id=arb-20240509-00010&otp=1"));
            Assert.That(Form(OrdersMapping.Parameters(new CancelAllOrdersRequest())), Is.Empty);
            Assert.That(Form(OrdersMapping.Parameters(new CancelAllOrdersAfterRequest { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)) })),
                Is.EqualTo("timeout=60"));
            Assert.That(Form(OrdersMapping.Parameters(new CancelAllOrdersAfterRequest { Timeout = new Duration() })), Is.EqualTo("timeout=0"));
        });
    }

    [Test]
    public void AmendOrder_SendsTheChangedValues_RelativePriceWithPercent2b()
    {
        var request = new AmendOrderRequest
        {
            ClOrdId = ClOrdId, OrderQty = "2.5", DisplayQty = "0.5", LimitPrice = "+0.5%", TriggerPrice = "30000", Pair = "AAPLxUSD",
            PostOnly = true, Deadline = At(10),
        };

        Assert.That(Form(OrdersMapping.Parameters(request, Clock())), Is.EqualTo(
            "cl_ord_id=arb-20240509-00010&order_qty=2.5&display_qty=0.5&limit_price=%2b0.5%25&trigger_price=30000&pair=AAPLxUSD"
            + "&post_only=true&deadline=2024-05-09T12%3A00%3A10Z"));
    }

    [Test]
    public void EditOrder_SendsTheNewValues_AndPostOnlyAsTheOnlyFlag()
    {
        var request = new EditOrderRequest
        {
            Txid = "OHYO67-6LP66-HMQ437", Pair = "XBTGBP", Userref = 5, Volume = "0.00030000", Price = "19500.0", Price2 = "#5",
            Oflags = { OrderFlag.Post }, CancelResponse = false, Validate = true,
        };

        Assert.That(Form(OrdersMapping.Parameters(request, Clock())), Is.EqualTo(
            "txid=OHYO67-6LP66-HMQ437&pair=XBTGBP&userref=5&volume=0.00030000&price=19500.0&price2=%235&oflags=post"
            + "&cancel_response=false&validate=true"));
    }

    // ---- Refusals: SubmitOrder ------------------------------------------------------------------------------

    [Test]
    public void SubmitOrder_WithNegativeVolume_IsRefusedBeforeKraken()
    {
        var request = Limit();
        request.Volume = "-1.25";

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "volume" }));
    }

    [TestCase("1e5")]
    [TestCase("1,25")]
    [TestCase(".5")]
    [TestCase("1.")]
    [TestCase(" 1")]
    [TestCase("+1")]
    [TestCase("0")]
    [TestCase("0.000")]
    public void SubmitOrder_WithAVolumeThatIsNotAPositiveDecimal_IsRefusedBeforeKraken(string volume)
    {
        var request = Limit();
        request.Volume = volume;

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "volume" }));
    }

    [Test]
    public void SubmitOrder_WithNothingSet_NamesEveryRequiredField()
    {
        Assert.That(RefusedFields(new SubmitOrderRequest()), Is.EquivalentTo(new[] { "pair", "type", "ordertype", "volume" }));
    }

    [Test]
    public void SubmitOrder_LimitWithoutPrice_IsRefusedBeforeKraken()
    {
        var request = Limit();
        request.Price = string.Empty;

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "price" }));
    }

    [Test]
    public void SubmitOrder_DisplayvolOnALimitOrder_IsRefusedBeforeKraken()
    {
        var request = Limit();
        request.Displayvol = "0.1";

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "displayvol" }));
    }

    [TestCase(OrderType.Market, "30000", "", "price")]
    [TestCase(OrderType.SettlePosition, "", "1", "price2")]
    [TestCase(OrderType.Limit, "30000", "29000", "price2")]
    [TestCase(OrderType.StopLoss, "", "", "price")]
    [TestCase(OrderType.TakeProfit, "30000", "31000", "price2")]
    [TestCase(OrderType.StopLossLimit, "30000", "", "price2")]
    [TestCase(OrderType.TakeProfitLimit, "", "31000", "price")]
    [TestCase(OrderType.TrailingStop, "50", "", "price")]
    [TestCase(OrderType.TrailingStop, "-50", "", "price")]
    [TestCase(OrderType.TrailingStop, "+50", "+0", "price2")]
    [TestCase(OrderType.TrailingStopLimit, "+50", "", "price2")]
    [TestCase(OrderType.TrailingStopLimit, "+50", "#5", "price2")]
    [TestCase(OrderType.TrailingStopLimit, "+50", "29000", "price2")]
    [TestCase(OrderType.Limit, "5%", "", "price")]
    [TestCase(OrderType.Limit, "+", "", "price")]
    [TestCase(OrderType.Limit, "+5%%", "", "price")]
    [TestCase(OrderType.Limit, "0", "", "price")]
    [TestCase(OrderType.Limit, "1e5", "", "price")]
    [TestCase(OrderType.StopLossLimit, "30000", "%5", "price2")]
    public void SubmitOrder_APriceTheOrderTypeDoesNotTake_OrAMissingOrMalformedOne_IsRefusedBeforeKraken(
        OrderType type, string price, string price2, string field)
    {
        var request = Limit();
        request.Ordertype = type;
        request.Price = price;
        request.Price2 = price2;

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { field }));
    }

    [Test]
    public void SubmitOrder_WithBothUserrefAndClOrdId_IsRefusedBeforeKraken()
    {
        var request = Limit();
        request.Userref = 42;

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "userref" }));
    }

    [TestCase("this-is-19-chars-xx")]
    [TestCase("6d1b345e-2821-40e2-ad83-4ecb18a0687z")]
    [TestCase("tab\there")]
    [TestCase("café")]
    public void SubmitOrder_WithAClOrdIdInNoneOfKrakensFormats_IsRefusedBeforeKraken(string clOrdId)
    {
        var request = Limit();
        request.ClOrdId = clOrdId;

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "cl_ord_id" }));
    }

    [TestCase("6D1B345E-2821-40E2-AD83-4ECB18A06876")]
    [TestCase("DA8E4AD59B78481C93E589746B0CF91F")]
    [TestCase("x")]
    public void SubmitOrder_WithAClOrdIdInOneOfKrakensFormats_IsAccepted(string clOrdId)
    {
        var request = Limit();
        request.ClOrdId = clOrdId;

        Assert.That(Form(OrdersMapping.Parameters(request, Clock())), Does.EndWith("cl_ord_id=" + clOrdId));
    }

    [Test]
    public void SubmitOrder_WithUndefinedEnumNumbers_IsRefusedBeforeKraken_NamingEachField()
    {
        var request = Limit();
        request.Type = (OrderSide)7;
        request.Ordertype = (OrderType)42;
        request.Trigger = (TriggerType)9;
        request.Stptype = (SelfTradePrevention)9;
        request.Timeinforce = (TimeInForce)9;
        request.Oflags.Add((OrderFlag)99);
        request.Oflags.Add(OrderFlag.Unspecified);

        Assert.That(RefusedFields(request), Is.EquivalentTo(new[] { "type", "ordertype", "trigger", "stptype", "timeinforce", "oflags[0]", "oflags[1]" }));
    }

    [Test]
    public void SubmitOrder_WithBothFeeCurrencyFlags_IsRefusedBeforeKraken()
    {
        var request = Limit();
        request.Oflags.Add(OrderFlag.Fcib);
        request.Oflags.Add(OrderFlag.Fciq);

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "oflags" }));
    }

    [TestCase(TimeInForce.Gtd, "", "", "expiretm")]
    [TestCase(TimeInForce.Gtc, "", "+4", "expiretm")]
    [TestCase(TimeInForce.Gtc, "", "tomorrow", "expiretm")]
    [TestCase(TimeInForce.Gtc, "-5", "", "starttm")]
    [TestCase(TimeInForce.Gtc, "+1.5", "", "starttm")]
    public void SubmitOrder_WithAScheduleKrakenDoesNotAccept_IsRefusedBeforeKraken(TimeInForce timeInForce, string starttm, string expiretm, string field)
    {
        var request = Limit();
        request.Timeinforce = timeInForce;
        request.Starttm = starttm;
        request.Expiretm = expiretm;

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { field }));
    }

    [TestCase(1.9)]
    [TestCase(-30)]
    [TestCase(60.5)]
    [TestCase(61)]
    [TestCase(3600)]
    public void SubmitOrder_WithADeadlineOutsideNowPlus2To60Seconds_IsRefusedBeforeKraken(double secondsFromNow)
    {
        var request = Limit();
        request.Deadline = At(secondsFromNow);

        Assert.That(RefusedFields(request), Is.EqualTo(new[] { "deadline" }));
    }

    [TestCase(2, "12%3A00%3A02Z")]
    [TestCase(59.999, "12%3A00%3A59Z")]
    [TestCase(60, "12%3A01%3A00Z")]
    public void SubmitOrder_WithADeadlineInsideTheWindow_SendsItInWholeSeconds_NeverLater(double secondsFromNow, string sentTime)
    {
        var request = Limit();
        request.Deadline = At(secondsFromNow);

        Assert.That(Form(OrdersMapping.Parameters(request, Clock())), Does.EndWith("&deadline=2024-05-09T" + sentTime));
    }

    [Test]
    public void SubmitOrder_WithAMarketOrSettlePositionClose_OrACloseWithoutItsPrice_IsRefusedBeforeKraken()
    {
        var marketClose = Limit();
        marketClose.Close = new ConditionalClose { Ordertype = OrderType.Market };
        var closeWithoutPrice = Limit();
        closeWithoutPrice.Close = new ConditionalClose { Ordertype = OrderType.StopLossLimit, Price = "22000.0" };
        var closeWithoutType = Limit();
        closeWithoutType.Close = new ConditionalClose { Price = "22000.0" };

        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(marketClose), Is.EqualTo(new[] { "close.ordertype" }));
            Assert.That(RefusedFields(closeWithoutPrice), Is.EqualTo(new[] { "close.price2" }));
            Assert.That(RefusedFields(closeWithoutType), Is.EqualTo(new[] { "close.ordertype" }));
        });
    }

    [Test]
    public void SubmitOrder_ZeroVolumeOnASpotOrder_IsRefused_ButClosesAMarginPosition()
    {
        var spot = Limit();
        spot.Volume = "0";
        var margin = Limit();
        margin.Volume = "0";
        margin.Leverage = "5";

        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(spot), Is.EqualTo(new[] { "volume" }));
            Assert.That(Form(OrdersMapping.Parameters(margin, Clock())), Does.Contain("&volume=0&"));
        });
    }

    [Test]
    public void SubmitOrder_Refusal_ListsEveryProblemAtOnce_AndSaysNothingWasSent()
    {
        var request = Limit();
        request.Volume = "-1";
        request.Price = "abc";
        request.Displayvol = "1";

        var refusal = Assert.Throws<RpcException>(() => OrdersMapping.Parameters(request, Clock()))!;

        Assert.Multiple(() =>
        {
            Assert.That(refusal.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EquivalentTo(new[] { "volume", "displayvol", "price" }));
            Assert.That(refusal.Status.Detail, Does.Contain("nothing was sent to Kraken"));
        });
    }

    // ---- Refusals: batches ----------------------------------------------------------------------------------

    [Test]
    public void SubmitBatchOrders_With16Orders_IsRefusedBeforeKraken()
    {
        var request = new SubmitBatchOrdersRequest { Pair = "XBTUSD" };
        request.Orders.AddRange(Enumerable.Range(1, 16).Select(i => BatchLimit($"{i}.0")));

        Assert.That(RefusedFields(() => OrdersMapping.Parameters(request, Clock())), Is.EqualTo(new[] { "orders" }));
    }

    [Test]
    public void SubmitBatchOrders_WithOneOrder_IsRefusedBeforeKraken()
    {
        var request = new SubmitBatchOrdersRequest { Pair = "XBTUSD", Orders = { BatchLimit("1.0") } };

        Assert.That(RefusedFields(() => OrdersMapping.Parameters(request, Clock())), Is.EqualTo(new[] { "orders" }));
    }

    [Test]
    public void SubmitBatchOrders_WithInvalidOrders_NamesEachFieldByItsOrdersIndex()
    {
        var request = new SubmitBatchOrdersRequest { Orders = { BatchLimit("1.0"), BatchLimit("2.0"), BatchLimit("3.0"), BatchLimit("4.0") } };
        request.Orders[3].Volume = "1e5";
        request.Orders[1].Price = string.Empty;
        request.Orders[2].Displayvol = "0.1";
        request.Orders[2].Userref = 1;
        request.Orders[2].ClOrdId = ClOrdId;
        request.Orders[0].Close = new ConditionalClose { Ordertype = OrderType.Limit };
        request.Deadline = At(61);

        Assert.That(RefusedFields(() => OrdersMapping.Parameters(request, Clock())), Is.EquivalentTo(new[]
        {
            "pair", "orders[3].volume", "orders[1].price", "orders[2].displayvol", "orders[2].userref", "orders[0].close.price", "deadline",
        }));
    }

    [Test]
    public void SubmitBatchOrders_UsingOneClOrdIdTwice_IsRefusedBeforeKraken()
    {
        var request = new SubmitBatchOrdersRequest { Pair = "XBTUSD", Orders = { BatchLimit("1.0"), BatchLimit("2.0") } };
        request.Orders[0].ClOrdId = ClOrdId;
        request.Orders[1].ClOrdId = ClOrdId;

        Assert.That(RefusedFields(() => OrdersMapping.Parameters(request, Clock())), Is.EqualTo(new[] { "orders" }));
    }

    [Test]
    public void CancelBatchOrders_With51IdsInTotal_OrNone_IsRefusedBeforeKraken()
    {
        var tooMany = new CancelBatchOrdersRequest();
        tooMany.Orders.AddRange(Enumerable.Range(0, 30).Select(i => $"ORDER{i}"));
        tooMany.ClOrdIds.AddRange(Enumerable.Range(0, 21).Select(i => $"client-{i}"));
        var fifty = new CancelBatchOrdersRequest();
        fifty.Orders.AddRange(Enumerable.Range(0, 50).Select(i => $"ORDER{i}"));

        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(tooMany)), Is.EqualTo(new[] { "orders" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new CancelBatchOrdersRequest())), Is.EqualTo(new[] { "orders" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new CancelBatchOrdersRequest { Orders = { "" }, ClOrdIds = { " " } })),
                Is.EqualTo(new[] { "orders[0]", "cl_ord_ids[0]" }));
            Assert.That(() => OrdersMapping.Parameters(fifty), Throws.Nothing);
        });
    }

    // ---- Refusals: the other calls ---------------------------------------------------------------------------

    [Test]
    public void GetOrders_WithNoTxid_51Txids_OrACommaInATxid_IsRefusedBeforeKraken()
    {
        var tooMany = new GetOrdersRequest();
        tooMany.Txid.AddRange(Enumerable.Range(0, 51).Select(i => $"ORDER{i}"));

        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new GetOrdersRequest())), Is.EqualTo(new[] { "txid" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(tooMany)), Is.EqualTo(new[] { "txid" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new GetOrdersRequest { Txid = { "OA,OB", "" } })),
                Is.EqualTo(new[] { "txid[0]", "txid[1]" }));
        });
    }

    [Test]
    public void CancelOrder_WithBothIdentifiers_OrNeither_IsRefusedBeforeKraken()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new CancelOrderRequest { Txid = "OQCLML-BW3P3-BUCMWZ", ClOrdId = ClOrdId })),
                Is.EqualTo(new[] { "txid" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new CancelOrderRequest())), Is.EqualTo(new[] { "txid" }));
        });
    }

    [Test]
    public void AmendOrder_WithoutAnOrder_WithBothIdentifiers_WithNothingToChange_OrAHashPrice_IsRefusedBeforeKraken()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new AmendOrderRequest { OrderQty = "1" }, Clock())), Is.EqualTo(new[] { "txid" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new AmendOrderRequest { Txid = "OA", ClOrdId = ClOrdId, OrderQty = "1" }, Clock())),
                Is.EqualTo(new[] { "txid" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new AmendOrderRequest { Txid = "OA", PostOnly = true }, Clock())),
                Is.EqualTo(new[] { "order_qty" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new AmendOrderRequest { Txid = "OA", LimitPrice = "#5", TriggerPrice = "-1e2" }, Clock())),
                Is.EqualTo(new[] { "limit_price", "trigger_price" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new AmendOrderRequest { Txid = "OA", OrderQty = "-1", DisplayQty = "0", Deadline = At(1) }, Clock())),
                Is.EqualTo(new[] { "order_qty", "display_qty", "deadline" }));
        });
    }

    [Test]
    public void EditOrder_WithoutTxidOrPair_OrWithAFlagOtherThanPost_IsRefusedBeforeKraken()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new EditOrderRequest(), Clock())), Is.EqualTo(new[] { "txid", "pair" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(
                new EditOrderRequest { Txid = "OA", Pair = "XBTUSD", Volume = "1e5", Price = "5%", Oflags = { OrderFlag.Fcib, OrderFlag.Post } }, Clock())),
                Is.EqualTo(new[] { "volume", "price", "oflags[0]" }));
        });
    }

    [TestCase(null, null)]
    [TestCase(86400L, 0)]
    [TestCase(-1L, 0)]
    [TestCase(59L, 500_000_000)]
    public void CancelAllOrdersAfter_WithoutATimeout_OrOneOf86400SecondsOrMore_NegativeOrFractional_IsRefusedBeforeKraken(long? seconds, int? nanos)
    {
        var request = new CancelAllOrdersAfterRequest();
        if (seconds is { } whole)
        {
            request.Timeout = new Duration { Seconds = whole, Nanos = nanos ?? 0 };
        }

        Assert.That(RefusedFields(() => OrdersMapping.Parameters(request)), Is.EqualTo(new[] { "timeout" }));
    }

    [Test]
    public void CancelAllOrdersAfter_WithTheLargestTimeoutKrakenTakes_SendsIt()
    {
        var request = new CancelAllOrdersAfterRequest { Timeout = new Duration { Seconds = 86_399 } };

        Assert.That(Form(OrdersMapping.Parameters(request)), Is.EqualTo("timeout=86399"));
    }

    [Test]
    public void ClosedOrdersAndOtherQueries_WithUndefinedEnums_ANegativeOffset_OrAMalformedRange_AreRefusedBeforeKraken()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new GetClosedOrdersRequest
            {
                Closetime = (ClosedOrdersCloseTime)8, RebaseMultiplier = (RebaseMultiplier)8, Ofs = -1, Start = "yesterday!", End = "1 2",
            })), Is.EquivalentTo(new[] { "start", "end", "ofs", "closetime", "rebase_multiplier" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new GetOpenOrdersRequest { RebaseMultiplier = (RebaseMultiplier)3 })),
                Is.EqualTo(new[] { "rebase_multiplier" }));
            Assert.That(RefusedFields(() => OrdersMapping.Parameters(new GetOrderAmendsRequest())), Is.EqualTo(new[] { "order_id" }));
        });
    }
}
