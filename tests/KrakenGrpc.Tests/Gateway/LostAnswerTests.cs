using System.Security.Cryptography;
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
    private readonly string _key = $"lost-key-{Guid.NewGuid():N}";
    private readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.Accounts.Add(new EmulatedAccountOptions(_key, _secret) { Tier = "Pro", Balances = new Dictionary<string, decimal> { ["ZUSD"] = 1_000_000m } });
        _kraken = await KrakenEmulator.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, $"--Kraken:ApiKey={_key}", $"--Kraken:ApiSecret={_secret}", "--Kraken:Tier=Pro");
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
        _kraken.Accounts[_key].OpenOrders.Concat(_kraken.Accounts[_key].ClosedOrders).Count(o => o.ClOrdId == clientOrderId);

    [Test]
    public async Task OrderTakenButAnswerLost_IsFoundByItsClientId_AndPlacedExactlyOnce()
    {
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.LostAnswer(500));

        using var call = _gateway.Orders.SubmitOrderAsync(RestingBuy());
        var response = await call;

        Assert.Multiple(() =>
        {
            Assert.That(response.Txids, Has.Count.EqualTo(1));
            Assert.That(_kraken.Accounts[_key].Order(response.Txids[0])!.ClOrdId, Is.EqualTo(response.ClOrdId));
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
            Assert.That(_kraken.Accounts[_key].OpenOrders.Count(o => o.UserRef == 4242), Is.EqualTo(1), "placed once, as Kraken did");
        });
    }
}
