using System.Diagnostics;
using System.IO.Compression;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// Signed calls end to end: gRPC client -> gateway (lanes, nonces, budgets, signing) -> HTTP -> the emulator, which
/// checks signatures and nonces and enforces Kraken's counters as Kraken documents them. Each test uses its own
/// account so the counters of one test never throttle another.
/// </summary>
public class PrivateCallsTests
{
    private static readonly string[] AccountNames = ["nonce", "burst", "impatient", "trade", "export", "invalid"];

    // Starter, as the gateway's default tier: the budget tests count on its 15-point counter.
    private readonly Dictionary<string, TestAccount> _accounts = AccountNames.ToDictionary(name => name, name => new TestAccount(name, "Starter"));

    private readonly FakeLogCollector _logs = new();
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan, ExportProcessingTime = TimeSpan.FromMilliseconds(200) };
        foreach (var account in _accounts.Values)
        {
            options.Accounts.Add(account.AtKraken(new Dictionary<string, decimal> { ["ZUSD"] = 10_000_000m, ["XXBT"] = 100m, ["XETH"] = 1000m, ["SOL"] = 100_000m, ["ZEUR"] = 10_000_000m }));
        }
        _kraken = await KrakenEmulator.StartAsync(options);

        var arguments = _accounts.Values.SelectMany(account => account.AsNamed)
            .Append("--Logging:LogLevel:Default=Trace")
            .ToArray();
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, builder => builder.Logging.AddProvider(new FakeLoggerProvider(_logs)), arguments);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    private static Metadata As(string account) => new() { { "kraken-account", account } };

    private string KeyOf(string account) => _accounts[account].ApiKey;

    private SubmitOrderRequest RestingBuy(string pair, string volume) => new()
    {
        Pair = pair,
        Type = OrderSide.Buy,
        Ordertype = OrderType.Limit,
        Volume = volume,
        // Half the market price, on the tick: it rests and never fills.
        Price = decimal.Round(_kraken.Market.LastPrice(pair) / 2, 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Test]
    public async Task HundredConcurrentPrivateCalls_ReachKrakenWithStrictlyIncreasingNonces_AndNoRateLimitError()
    {
        var pairs = new[] { "XBTUSD", "ETHUSD", "SOLEUR" };
        var volumes = new Dictionary<string, string> { ["XBTUSD"] = "0.01", ["ETHUSD"] = "0.1", ["SOLEUR"] = "1" };
        var calls = Enumerable.Range(0, 100).Select(i => i < 15
            ? (Task)_gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("nonce")).ResponseAsync
            : _gateway.Orders.SubmitOrderAsync(RestingBuy(pairs[i % 3], volumes[pairs[i % 3]]), As("nonce")).ResponseAsync);

        await Task.WhenAll(calls);

        var nonces = _kraken.Requests.Recent()
            .Where(r => r.Path.StartsWith("/0/private/", StringComparison.Ordinal) && r.Headers.TryGetValue("API-Key", out var key) && key == KeyOf("nonce"))
            .Select(r => long.Parse(System.Web.HttpUtility.ParseQueryString(r.BodyText)["nonce"]!, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var statistics = _kraken.Statistics.For(KeyOf("nonce"));
        Assert.Multiple(() =>
        {
            Assert.That(nonces, Has.Count.EqualTo(100));
            Assert.That(nonces, Is.Ordered.Ascending.And.Unique, "nonces reached Kraken out of order");
            Assert.That(statistics.InvalidNonces, Is.Zero);
            Assert.That(statistics.RestRateLimitRefusals + statistics.TradingRateLimitRefusals + statistics.OrdersLimitRefusals, Is.Zero);
            Assert.That(_kraken.Accounts[KeyOf("nonce")].OpenOrders, Has.Count.EqualTo(85));
        });
    }

    [Test]
    public async Task BurstBeyondTheStarterBudget_Waits_AndKrakenNeverRefusesForRate()
    {
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 17).Select(_ => _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("burst")).ResponseAsync));

        Assert.Multiple(() =>
        {
            Assert.That(_kraken.Statistics.For(KeyOf("burst")).RestRateLimitRefusals, Is.Zero);
            Assert.That(_kraken.Statistics.For(KeyOf("burst")).AuthenticatedCalls, Is.EqualTo(17));
            // 15 fit at once; each of the two others waits ~3 s for the counter to fall (Starter: -0.33/s).
            Assert.That(watch.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task CallThatCannotFitTheBudgetBeforeItsDeadline_IsRefusedWithRetryInfo_AndNotSent()
    {
        await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("impatient")).ResponseAsync));

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Account.GetLedgersInfoAsync(new GetLedgersInfoRequest(), As("impatient"), deadline: DateTime.UtcNow.AddSeconds(1)))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("RATE_BUDGET_EXHAUSTED"));
            Assert.That(failure.RetryInfo()!.RetryDelay.ToTimeSpan(), Is.GreaterThan(TimeSpan.FromSeconds(3)));
            Assert.That(_kraken.Statistics.For(KeyOf("impatient")).AuthenticatedCalls, Is.EqualTo(15), "the refused call reached Kraken");
        });
    }

    [Test]
    public async Task OrderLifecycle_PlaceAmendFill_ShowsInOrdersTradesLedgersAndBalances()
    {
        var account = As("trade");
        var before = _kraken.Accounts[KeyOf("trade")].Balance("XXBT");
        var order = RestingBuy("XBTUSD", "0.5");

        var placed = await _gateway.Orders.SubmitOrderAsync(order, account);
        var txid = placed.Txids.Single();
        var open = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), account);

        // Amend the limit far above the market: it crosses and fills on the next market move.
        var crossing = decimal.Round(_kraken.Market.LastPrice("XBTUSD") * 1.5m, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { Txid = txid, LimitPrice = crossing }, account);
        _kraken.Market.Step();

        var closed = await _gateway.Orders.GetClosedOrdersAsync(new GetClosedOrdersRequest(), account);
        var trades = await _gateway.Account.GetTradesHistoryAsync(new GetTradesHistoryRequest(), account);
        var ledgers = await _gateway.Account.GetLedgersInfoAsync(new GetLedgersInfoRequest { Asset = { "XBT" } }, account);
        var amends = await _gateway.Orders.GetOrderAmendsAsync(new GetOrderAmendsRequest { OrderId = txid }, account);
        var balances = await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), account);

        Assert.Multiple(() =>
        {
            Assert.That(placed.ClOrdId, Does.Match("^[0-9a-f]{32}$"), "the gateway assigns a client order id");
            Assert.That(_kraken.Accounts[KeyOf("trade")].Order(txid)!.ClOrdId, Is.EqualTo(placed.ClOrdId));
            Assert.That(open.OpenOrders, Contains.Key(txid));
            Assert.That(open.OpenOrders[txid].Volume, Is.EqualTo("0.50000000"));
            Assert.That(closed.ClosedOrders, Contains.Key(txid));
            Assert.That(closed.ClosedOrders[txid].Status, Is.EqualTo(OrderStatus.Closed));
            Assert.That(amends.Amends, Has.Count.GreaterThanOrEqualTo(2), "the original and the amend");
            Assert.That(trades.Trades.Values.Where(t => t.OrderTxid == txid), Is.Not.Empty);
            Assert.That(ledgers.LedgerEntries.Values.Where(l => l.Type == "trade"), Is.Not.Empty);
            Assert.That(decimal.Parse(balances.Balances["XXBT"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(before + 0.5m));
        });
    }

    [Test]
    public async Task LedgersExport_StreamsAZipWhoseBytesAreThoseKrakenSent()
    {
        var account = As("export");
        var report = await _gateway.Account.RequestLedgersExportAsync(new RequestLedgersExportRequest { Report = ExportReportKind.Ledgers, Description = "test export" }, account);
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        using var call = _gateway.Account.GetLedgersExport(new GetLedgersExportRequest { Id = report.ReportId }, account);
        using var zip = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            chunk.Chunk.WriteTo(zip);
        }
        zip.Position = 0;
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);

        Assert.That(archive.Entries, Is.Not.Empty);
    }

    [Test]
    public void InvalidOrder_IsRefusedBeforeKraken()
    {
        var sentBefore = _kraken.Requests.Count("/0/private/AddOrder");

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitOrderAsync(
            new SubmitOrderRequest { Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "-1", Price = "1000" }, As("invalid")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.BadRequest()!.FieldViolations.Select(v => v.Field), Does.Contain("volume"));
            Assert.That(_kraken.Requests.Count("/0/private/AddOrder"), Is.EqualTo(sentBefore));
        });
    }

    [Test]
    public void UnknownAccountName_IsInvalidArgument()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("nobody")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("UNKNOWN_ACCOUNT"));
        });
    }

    [Test]
    public void NoDefaultAccount_IsFailedPrecondition_WithAClearMessage()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest()))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(failure.Status.Detail, Does.Contain("Kraken:ApiKey"));
        });
    }

    [Test]
    public async Task NoLogLine_EverContainsAKeyASecretOrASignature()
    {
        // Successes, Kraken refusals and the gateway's own refusals, each logged at Trace level.
        await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("invalid"));
        Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = "OUNKNO-WNORD-ERXXXX" }, As("invalid")));
        Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitOrderAsync(new SubmitOrderRequest { Pair = "XBTUSD" }, As("invalid")));
        Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("nobody")));

        var secrets = _accounts.Values.SelectMany(account => new[] { account.ApiKey, account.Secret }).ToList();
        var signatures = _kraken.Requests.Recent().Select(r => r.Headers.GetValueOrDefault("API-Sign")).OfType<string>().ToList();
        var records = _logs.GetSnapshot();

        Assert.Multiple(() =>
        {
            Assert.That(records, Is.Not.Empty, "nothing was logged: the capture is not wired");
            Assert.That(signatures, Is.Not.Empty);
            foreach (var record in records)
            {
                var text = $"{record.Message} {record.Exception} {string.Join(' ', record.StructuredState?.Select(s => s.Value) ?? [])}";
                foreach (var secret in secrets.Concat(signatures))
                {
                    Assert.That(text, Does.Not.Contain(secret), $"log record {record.Id} ({record.Category}) leaks a credential");
                }
            }
        });
    }
}
