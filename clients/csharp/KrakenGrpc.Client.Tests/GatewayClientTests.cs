using Grpc.Core;
using KrakenGrpc.Client.Tests.Support;
using KrakenGrpc.Contracts.Spot.V1;
using Microsoft.Extensions.DependencyInjection;

namespace KrakenGrpc.Client.Tests;

/// <summary>
/// The client library against the real gateway in sandbox mode: every call goes through a client that
/// <c>AddKrakenGrpcClient</c> registered, over h2c, to the gateway, to its emulator's paper account and market.
/// </summary>
public class GatewayClientTests
{
    private const string Pair = "XBTUSD";
    private const string GatewayToken = "client-tests-token";

    private SandboxGateway _gateway = null!;
    private ServiceProvider _services = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _gateway = await SandboxGateway.StartAsync();
        _services = ClientsFor(options =>
        {
            options.Address = _gateway.Address;
            options.GatewayToken = GatewayToken;
            options.Account = SandboxGateway.PaperAccount;
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _services.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    [TearDown]
    public Task ClearFaultsAsync() => _gateway.ClearFaultsAsync();

    private static ServiceProvider ClientsFor(Action<KrakenGrpcClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddKrakenGrpcClient(configure);
        return services.BuildServiceProvider();
    }

    private T Client<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A limit buy at half the last price: it rests in the book and never fills while the test looks at it.</summary>
    private async Task<SubmitOrderRequest> RestingBuyAsync(string clientOrderId)
    {
        var ticker = await Client<MarketDataService.MarketDataServiceClient>().GetTickerAsync(new GetTickerRequest { Pair = { Pair } });
        var last = KrakenDecimal.Parse(ticker.Tickers.Values.Single().LastTrade.Price);
        return new SubmitOrderRequest
        {
            Pair = Pair,
            Type = OrderSide.Buy,
            Ordertype = OrderType.Limit,
            Volume = KrakenDecimal.Format(0.01m),
            Price = KrakenDecimal.Format(decimal.Round(last / 2, 0)),
            ClOrdId = clientOrderId,
        };
    }

    [Test]
    public async Task GetTicker_ThroughTheRegisteredClient_AnswersKrakensDecimalText_WhichTheHelpersRoundTripByteForByte()
    {
        var response = await Client<MarketDataService.MarketDataServiceClient>().GetTickerAsync(new GetTickerRequest { Pair = { Pair } });

        var ticker = response.Tickers.Values.Single();
        string[] prices = [ticker.Ask.Price, ticker.Bid.Price, ticker.LastTrade.Price, ticker.OpeningPrice];
        Assert.Multiple(() =>
        {
            Assert.That(prices.Select(p => KrakenDecimal.Format(KrakenDecimal.Parse(p))), Is.EqualTo(prices));
            Assert.That(KrakenDecimal.Parse(ticker.Ask.Price), Is.GreaterThanOrEqualTo(KrakenDecimal.Parse(ticker.Bid.Price)));
        });
    }

    [Test]
    public async Task GetAccountBalance_CarriesTheGatewayTokenAndTheAccount_AsMetadata()
    {
        var response = await Client<AccountService.AccountServiceClient>().GetAccountBalanceAsync(new GetAccountBalanceRequest());

        const string method = "/kraken.spot.v1.AccountService/GetAccountBalance";
        Assert.Multiple(() =>
        {
            Assert.That(KrakenDecimal.Parse(response.Balances["ZUSD"]), Is.GreaterThan(0m), "the sandbox's paper account holds USD");
            Assert.That(_gateway.Arrived.Header(method, "authorization"), Is.EqualTo($"Bearer {GatewayToken}"));
            Assert.That(_gateway.Arrived.Header(method, KrakenHeaders.Account), Is.EqualTo(SandboxGateway.PaperAccount));
        });
    }

    [Test]
    public async Task Calls_OfAClientWithoutTokenOrAccount_CarryNeitherHeader()
    {
        await using var bare = ClientsFor(options => options.Address = _gateway.Address);

        await bare.GetRequiredService<AccountService.AccountServiceClient>().GetAccountBalanceAsync(new GetAccountBalanceRequest());

        const string method = "/kraken.spot.v1.AccountService/GetAccountBalance";
        Assert.Multiple(() =>
        {
            Assert.That(_gateway.Arrived.Header(method, "authorization"), Is.Null);
            Assert.That(_gateway.Arrived.Header(method, KrakenHeaders.Account), Is.Null);
        });
    }

    [Test]
    public void GetAccountBalance_NamingAnUnknownAccountOnTheCall_OverridesTheOptions_AndIsRefusedWithErrorInfo()
    {
        var headers = new Metadata { { KrakenHeaders.Account, "nobody" } };

        var refused = Assert.ThrowsAsync<RpcException>(async () =>
            await Client<AccountService.AccountServiceClient>().GetAccountBalanceAsync(new GetAccountBalanceRequest(), headers));

        var info = refused.GetErrorInfo();
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That((info?.Domain, info?.Reason), Is.EqualTo((KrakenErrorDetails.Domain, "UNKNOWN_ACCOUNT")));
            Assert.That(refused.GetRetryDelay(), Is.Null, "waiting does not make an account exist");
            Assert.That(headers, Has.Count.EqualTo(1), "the caller's metadata is not changed");
        });
    }

    [Test]
    public async Task SubmitOrder_WithAGeneratedClientOrderId_IsPlaced_AndReadBackUnderThatId()
    {
        var clientOrderId = KrakenOrderIds.GenerateNewOrderID();
        var order = await RestingBuyAsync(clientOrderId);
        var orders = Client<OrdersService.OrdersServiceClient>();

        var placed = await orders.SubmitOrderAsync(order);
        var txid = placed.Txids.Single();
        var readBack = await orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txid } });
        var canceled = await orders.CancelOrderAsync(new CancelOrderRequest { ClOrdId = clientOrderId });

        var found = readBack.Orders[txid];
        Assert.Multiple(() =>
        {
            Assert.That(placed.ClOrdId, Is.EqualTo(clientOrderId));
            Assert.That(found.ClOrdId, Is.EqualTo(clientOrderId));
            Assert.That(found.Status, Is.EqualTo(OrderStatus.Open));
            Assert.That(KrakenDecimal.Parse(found.Volume), Is.EqualTo(0.01m));
            Assert.That(KrakenDecimal.Parse(found.Description.Price), Is.EqualTo(KrakenDecimal.Parse(order.Price)));
            Assert.That(canceled.Count, Is.EqualTo(1), "cancelled by the same client order id");
        });
    }

    [Test]
    public void SubmitOrder_WithBadFields_IsRefusedBeforeKraken_AndEveryFieldViolationIsReadable()
    {
        var order = new SubmitOrderRequest { Pair = Pair, Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "1e-3", Price = "12,5", ClOrdId = "not-a-uuid-and-far-too-long-for-text" };

        var refused = Assert.ThrowsAsync<RpcException>(async () => await Client<OrdersService.OrdersServiceClient>().SubmitOrderAsync(order));

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(refused.GetErrorInfo()?.Reason, Is.EqualTo(KrakenErrorDetails.InvalidRequestReason));
            Assert.That(refused.GetFieldViolations().Select(v => v.Field), Is.EquivalentTo(new[] { "volume", "price", "cl_ord_id" }));
            Assert.That(refused.GetFieldViolations().Select(v => v.Description), Has.All.Not.Empty);
        });
    }

    [Test]
    public async Task SubmitOrder_WhileKrakenIsUnavailable_SaysWhenToRetry_AndQuotesKrakensError()
    {
        var order = await RestingBuyAsync(KrakenOrderIds.GenerateNewOrderID());
        await _gateway.InjectKrakenErrorAsync("/0/private/AddOrder", "EService:Unavailable");

        var refused = Assert.ThrowsAsync<RpcException>(async () => await Client<OrdersService.OrdersServiceClient>().SubmitOrderAsync(order));

        var info = refused.GetErrorInfo();
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(info?.Reason, Is.EqualTo("SERVICE_UNAVAILABLE"));
            Assert.That(info?.Metadata[KrakenErrorDetails.KrakenErrorKey], Is.EqualTo("EService:Unavailable"));
            Assert.That(info?.Metadata[KrakenErrorDetails.EndpointKey], Is.EqualTo("AddOrder"));
            Assert.That(refused.GetRetryDelay(), Is.EqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task SubmitOrder_WhoseAnswerWasLost_IsFoundByItsClientOrderId_AndTheTrailersSaySo()
    {
        var clientOrderId = KrakenOrderIds.GenerateNewOrderID();
        var order = await RestingBuyAsync(clientOrderId);
        var orders = Client<OrdersService.OrdersServiceClient>();
        await _gateway.InjectLostAnswerAsync("/0/private/AddOrder");

        using var call = orders.SubmitOrderAsync(order);
        var placed = await call;
        var trailers = call.GetTrailers();
        await orders.CancelOrderAsync(new CancelOrderRequest { ClOrdId = clientOrderId });

        Assert.Multiple(() =>
        {
            Assert.That(trailers.IsReconciled(), Is.True);
            Assert.That(trailers.GetKrakenWarnings(), Is.Empty);
            Assert.That(placed.ClOrdId, Is.EqualTo(clientOrderId));
            Assert.That(placed.Txids, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task SubmitOrder_WhoseAnswerWasLostAndWhichWasNeverPlaced_NamesItsClientOrderIdInErrorInfo()
    {
        var clientOrderId = KrakenOrderIds.GenerateNewOrderID();
        var order = await RestingBuyAsync(clientOrderId);
        await _gateway.InjectHttpStatusAsync("/0/private/AddOrder", 502);

        var unknown = Assert.ThrowsAsync<RpcException>(async () => await Client<OrdersService.OrdersServiceClient>().SubmitOrderAsync(order));

        var info = unknown.GetErrorInfo();
        Assert.Multiple(() =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(info?.Reason, Is.EqualTo("ORDER_OUTCOME_UNKNOWN"));
            Assert.That(info?.Metadata[KrakenErrorDetails.ClOrdIdKey], Is.EqualTo(clientOrderId));
            Assert.That(unknown.GetRetryDelay(), Is.Null, "the caller looks the order up before placing it anew");
        });
    }

    [Test]
    public async Task StreamTicker_FirstMessage_IsASnapshotOfTheAskedPair()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = Client<MarketDataService.MarketDataServiceClient>().StreamTicker(new StreamTickerRequest { Pair = { Pair } }, cancellationToken: cancel.Token);

        Assert.That(await stream.ResponseStream.MoveNext(cancel.Token), Is.True);
        var first = stream.ResponseStream.Current;

        const string method = "/kraken.spot.v1.MarketDataService/StreamTicker";
        Assert.Multiple(() =>
        {
            Assert.That(first.Snapshot, Is.True);
            Assert.That(first.Tickers, Has.Count.EqualTo(1));
            Assert.That(KrakenDecimal.Parse(first.Tickers.Values.Single().LastTrade.Price), Is.GreaterThan(0m));
            Assert.That(_gateway.Arrived.Header(method, "authorization"), Is.EqualTo($"Bearer {GatewayToken}"), "streams carry the metadata too");
        });
    }
}
