using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// An order whose answer is lost is never placed twice: the gateway finds it by its cl_ord_id and answers with the
/// real txid, or answers UNKNOWN with the id to check. The emulator's LostAnswer fault places the order, then answers
/// HTTP 500 instead of the result.
/// </summary>
public class LostAnswerTests
{
    private readonly TestAccount _account = new("lost");
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.Accounts.Add(_account.AtKraken(new Dictionary<string, decimal> { ["ZUSD"] = 1_000_000m }));
        _kraken = await KrakenEmulator.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, _account.AsDefault);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _kraken.Faults.Clear();
        _kraken.Requests.Clear();
    }

    private SubmitOrderRequest RestingBuy() => new()
    {
        Pair = "XBTUSD",
        Type = OrderSide.Buy,
        Ordertype = OrderType.Limit,
        Volume = "0.01",
        Price = decimal.Round(_kraken.Market.LastPrice("XBTUSD") / 2, 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private int OrdersWith(string clientOrderId) =>
        _kraken.Accounts[_account.ApiKey].OpenOrders.Concat(_kraken.Accounts[_account.ApiKey].ClosedOrders).Count(o => o.ClOrdId == clientOrderId);

    [Test]
    public async Task OrderTakenButAnswerLost_IsFoundByItsClientId_AndPlacedExactlyOnce()
    {
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.LostAnswer(500));

        using var call = _gateway.Orders.SubmitOrderAsync(RestingBuy());
        var response = await call;

        Assert.Multiple(() =>
        {
            Assert.That(response.Txids, Has.Count.EqualTo(1));
            Assert.That(_kraken.Accounts[_account.ApiKey].Order(response.Txids[0])!.ClOrdId, Is.EqualTo(response.ClOrdId));
            Assert.That(OrdersWith(response.ClOrdId), Is.EqualTo(1));
            Assert.That(_kraken.Requests.Count("/0/private/AddOrder"), Is.EqualTo(1), "the order was sent again");
            Assert.That(call.GetTrailers().GetValue("kraken-reconciled"), Is.EqualTo("true"));
        });
    }

    [Test]
    public void OrderNeverTaken_AnswersUnknown_WithTheClientIdToCheck_AndIsNotSentAgain()
    {
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.Status(502));
        var order = RestingBuy();
        order.ClOrdId = "never-placed-1";

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitOrderAsync(order))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("ORDER_OUTCOME_UNKNOWN"));
            Assert.That(failure.ErrorInfo().Metadata["cl_ord_id"], Is.EqualTo("never-placed-1"));
            Assert.That(failure.Status.Detail, Does.Contain("NOT sent again"));
            Assert.That(OrdersWith("never-placed-1"), Is.Zero);
            Assert.That(_kraken.Requests.Count("/0/private/AddOrder"), Is.EqualTo(1));
        });
    }

    [Test]
    public void OrderWithOnlyAUserref_AnswersUnknownAtOnce_BecauseAUserrefIsNotUnique()
    {
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.LostAnswer(503));
        var order = RestingBuy();
        order.Userref = 4242;

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitOrderAsync(order))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Metadata["userref"], Is.EqualTo("4242"));
            Assert.That(_kraken.Requests.Count("/0/private/AddOrder"), Is.EqualTo(1));
            Assert.That(_kraken.Accounts[_account.ApiKey].OpenOrders.Count(o => o.UserRef == 4242), Is.EqualTo(1), "placed once, as Kraken did");
        });
    }

    private async Task<string> RestingOrderAsync()
    {
        var placed = await _gateway.Orders.SubmitOrderAsync(RestingBuy());
        _kraken.Requests.Clear();
        return placed.Txids.Single();
    }

    [Test]
    public async Task BatchTakenButAnswerLost_IsFoundOrderByOrder_AndPlacedExactlyOnce()
    {
        _kraken.Faults.Inject("/0/private/AddOrderBatch", Fault.LostAnswer(502));
        var batch = new SubmitBatchOrdersRequest { Pair = "XBTUSD" };
        batch.Orders.Add(new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.01", Price = RestingBuy().Price });
        batch.Orders.Add(new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.02", Price = RestingBuy().Price, ClOrdId = "batch-mine-2" });

        using var call = _gateway.Orders.SubmitBatchOrdersAsync(batch);
        var response = await call;

        Assert.Multiple(() =>
        {
            Assert.That(response.Orders.Select(o => o.ClOrdId).ToList(), Has.Count.EqualTo(2).And.Contains("batch-mine-2"));
            foreach (var order in response.Orders)
            {
                Assert.That(_kraken.Accounts[_account.ApiKey].Order(order.Txid)!.ClOrdId, Is.EqualTo(order.ClOrdId));
                Assert.That(OrdersWith(order.ClOrdId), Is.EqualTo(1));
            }
            Assert.That(_kraken.Accounts[_account.ApiKey].Order(response.Orders[1].Txid)!.Volume, Is.EqualTo(0.02m), "results stay in request order");
            Assert.That(_kraken.Requests.Count("/0/private/AddOrderBatch"), Is.EqualTo(1), "the batch was sent again");
            Assert.That(call.GetTrailers().GetValue("kraken-reconciled"), Is.EqualTo("true"));
        });
    }

    [Test]
    public void BatchNeverTaken_AnswersUnknown_NamingTheOrdersToCheck()
    {
        _kraken.Faults.Inject("/0/private/AddOrderBatch", Fault.Status(500));
        var batch = new SubmitBatchOrdersRequest { Pair = "XBTUSD" };
        batch.Orders.Add(new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.01", Price = RestingBuy().Price, ClOrdId = "batch-lost-1" });
        batch.Orders.Add(new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.01", Price = RestingBuy().Price, ClOrdId = "batch-lost-2" });

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitBatchOrdersAsync(batch))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("ORDER_OUTCOME_UNKNOWN"));
            Assert.That(failure.ErrorInfo().Metadata["cl_ord_ids_not_found"], Is.EqualTo("batch-lost-1,batch-lost-2"));
            Assert.That(failure.RetryInfo(), Is.Null, "nothing invites a blind retry");
            Assert.That(_kraken.Requests.Count("/0/private/AddOrderBatch"), Is.EqualTo(1));
            Assert.That(OrdersWith("batch-lost-1") + OrdersWith("batch-lost-2"), Is.Zero);
        });
    }

    [Test]
    public async Task CancelCarriedOutButAnswerLost_IsConfirmedByTheOrdersStatus()
    {
        var txid = await RestingOrderAsync();
        _kraken.Faults.Inject("/0/private/CancelOrder", Fault.LostAnswer(500));

        using var call = _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = txid });
        var response = await call;

        Assert.Multiple(() =>
        {
            Assert.That(response.Count, Is.EqualTo(1));
            Assert.That(_kraken.Accounts[_account.ApiKey].Order(txid)!.Status, Is.EqualTo("canceled"));
            Assert.That(_kraken.Requests.Count("/0/private/CancelOrder"), Is.EqualTo(1));
            Assert.That(call.GetTrailers().GetValue("kraken-reconciled"), Is.EqualTo("true"));
        });
    }

    [Test]
    public async Task CancelNeverCarriedOut_AnswersUnknown_AndLeavesTheOrderOpen()
    {
        var txid = await RestingOrderAsync();
        _kraken.Faults.Inject("/0/private/CancelOrder", Fault.Status(502));

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = txid }))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Metadata["txid"], Is.EqualTo(txid));
            Assert.That(failure.Status.Detail, Does.Contain("OPEN"));
            Assert.That(_kraken.Accounts[_account.ApiKey].Order(txid)!.Status, Is.EqualTo("open"));
            Assert.That(_kraken.Requests.Count("/0/private/CancelOrder"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AmendCarriedOutButAnswerLost_IsFoundAmongTheOrdersAmends()
    {
        var txid = await RestingOrderAsync();
        _kraken.Faults.Inject("/0/private/AmendOrder", Fault.LostAnswer(500));

        using var call = _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { Txid = txid, OrderQty = "0.03" });
        var response = await call;
        var amends = await _gateway.Orders.GetOrderAmendsAsync(new GetOrderAmendsRequest { OrderId = txid });

        Assert.Multiple(() =>
        {
            Assert.That(response.AmendId, Is.Not.Empty.And.EqualTo(amends.Amends.Last().AmendId));
            Assert.That(_kraken.Accounts[_account.ApiKey].Order(txid)!.Volume, Is.EqualTo(0.03m));
            Assert.That(_kraken.Accounts[_account.ApiKey].Order(txid)!.AmendCount, Is.EqualTo(1));
            Assert.That(_kraken.Requests.Count("/0/private/AmendOrder"), Is.EqualTo(1));
            Assert.That(call.GetTrailers().GetValue("kraken-reconciled"), Is.EqualTo("true"));
        });
    }

    [Test]
    public async Task AmendNeverCarriedOut_AnswersUnknown_AndIsNotSentAgain()
    {
        var txid = await RestingOrderAsync();
        _kraken.Faults.Inject("/0/private/AmendOrder", Fault.Status(503));

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { Txid = txid, OrderQty = "0.03" }))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("ORDER_OUTCOME_UNKNOWN"));
            Assert.That(failure.ErrorInfo().Metadata["txid"], Is.EqualTo(txid));
            Assert.That(_kraken.Accounts[_account.ApiKey].Order(txid)!.Volume, Is.EqualTo(0.01m));
            Assert.That(_kraken.Requests.Count("/0/private/AmendOrder"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task EditWhoseAnswerIsLost_AnswersOutcomeUnknown_AndIsSentOnce()
    {
        var txid = await RestingOrderAsync();
        _kraken.Faults.Inject("/0/private/EditOrder", Fault.LostAnswer(500));

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.EditOrderAsync(new EditOrderRequest { Txid = txid, Pair = "XBTUSD", Volume = "0.02" }))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("OUTCOME_UNKNOWN"));
            Assert.That(failure.ErrorInfo().Metadata["lost_answer"], Is.EqualTo("UPSTREAM_SERVER_ERROR"));
            Assert.That(_kraken.Requests.Count("/0/private/EditOrder"), Is.EqualTo(1));
        });
    }

    [Test]
    public void KrakensInternalErrorOnAnOrder_IsALostAnswer_NotAnInvitationToRetry()
    {
        // "EGeneral:Internal error" does not say whether the order was taken: it is looked up like a lost answer.
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.KrakenError("EGeneral:Internal error"));
        var order = RestingBuy();
        order.ClOrdId = "internal-error-1";

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitOrderAsync(order))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("ORDER_OUTCOME_UNKNOWN"));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EGeneral:Internal error"));
            Assert.That(failure.RetryInfo(), Is.Null);
            Assert.That(_kraken.Requests.Count("/0/private/AddOrder"), Is.EqualTo(1));
        });
    }

    [Test]
    public void LostAnswerWithLittleTimeLeft_AnswersUnknownBeforeTheDeadline_NotDeadlineExceeded()
    {
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.Status(502));
        var order = RestingBuy();
        order.ClOrdId = "short-deadline-1";

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitOrderAsync(order, deadline: DateTime.UtcNow.AddSeconds(1.5)))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown), "the caller must learn which order to check");
            Assert.That(failure.ErrorInfo().Metadata["cl_ord_id"], Is.EqualTo("short-deadline-1"));
            Assert.That(_kraken.Requests.Count("/0/private/AddOrder"), Is.EqualTo(1));
        });
    }
}
