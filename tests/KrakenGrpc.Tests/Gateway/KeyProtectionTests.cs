using System.Diagnostics;
using System.Globalization;
using System.Web;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// What Kraken says about the key itself: a refused nonce is re-signed and sent once more (the request was not
/// carried out), a temporary lockout stops every call of that key for the lockout period, and a concurrency throttle
/// holds the key's calls until the second Kraken names. Each test uses its own account, since a lockout lasts.
/// </summary>
public class KeyProtectionTests
{
    private static readonly string[] AccountNames = ["nonce", "noncetwice", "nonceorder", "lockout", "lockedoutneighbour", "throttled", "throttledlong"];

    private readonly Dictionary<string, TestAccount> _accounts = AccountNames.ToDictionary(name => name, name => new TestAccount(name));

    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        foreach (var account in _accounts.Values)
        {
            options.Accounts.Add(account.AtKraken(new Dictionary<string, decimal> { ["ZUSD"] = 100_000m }));
        }
        _kraken = await KrakenEmulator.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, [.. _accounts.Values.SelectMany(account => account.AsNamed)]);
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

    private static Metadata As(string account) => new() { { "kraken-account", account } };

    private IEnumerable<RecordedRequest> SentBy(string account, string path) =>
        _kraken.Requests.For(path).Where(r => r.Headers.TryGetValue("API-Key", out var key) && key == _accounts[account].ApiKey);

    private static ulong NonceOf(RecordedRequest request) =>
        ulong.Parse(HttpUtility.ParseQueryString(request.BodyText)["nonce"]!, CultureInfo.InvariantCulture);

    [Test]
    public async Task InvalidNonce_IsSignedAnewAndSentOnce_AndTheCallSucceeds()
    {
        _kraken.Faults.Inject("/0/private/Balance", Fault.KrakenError("EAPI:Invalid nonce"));

        var balances = await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("nonce"));

        var sent = SentBy("nonce", "/0/private/Balance").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(decimal.Parse(balances.Balances["ZUSD"], CultureInfo.InvariantCulture), Is.EqualTo(100_000m));
            Assert.That(sent, Has.Count.EqualTo(2));
            Assert.That(NonceOf(sent[1]), Is.GreaterThan(NonceOf(sent[0])), "the second attempt carries a fresh nonce");
            Assert.That(sent[1].Headers["API-Sign"], Is.Not.EqualTo(sent[0].Headers["API-Sign"]));
        });
    }

    [Test]
    public async Task InvalidNonceOnAnOrder_IsSentOnceMore_AndTheOrderExistsOnce()
    {
        // Kraken refused the first request outright, so sending it again cannot place the order twice.
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.KrakenError("EAPI:Invalid nonce"));
        var price = decimal.Round(_kraken.Market.LastPrice("XBTUSD") / 2, 0).ToString(CultureInfo.InvariantCulture);

        var placed = await _gateway.Orders.SubmitOrderAsync(
            new SubmitOrderRequest { Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.01", Price = price }, As("nonceorder"));

        Assert.Multiple(() =>
        {
            Assert.That(SentBy("nonceorder", "/0/private/AddOrder").Count(), Is.EqualTo(2));
            Assert.That(_kraken.Accounts[_accounts["nonceorder"].ApiKey].OpenOrders.Count(o => o.ClOrdId == placed.ClOrdId), Is.EqualTo(1));
        });
    }

    [Test]
    public void InvalidNonceTwice_IsRefusedUnauthenticated_AfterExactlyTwoSends()
    {
        _kraken.Faults.Inject("/0/private/Balance", Fault.KrakenError("EAPI:Invalid nonce") with { Times = 5 });

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("noncetwice")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("INVALID_NONCE"));
            Assert.That(SentBy("noncetwice", "/0/private/Balance").Count(), Is.EqualTo(2));
        });
    }

    [Test]
    public void TemporaryLockout_StopsEveryCallOfThatKey_WithUnavailableAndWhenToComeBack()
    {
        _kraken.Faults.Inject("/0/private/Balance", Fault.KrakenError("EGeneral:Temporary lockout"));

        var first = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("lockout")))!;
        var next = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), As("lockout")))!;

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(first.ErrorInfo().Reason, Is.EqualTo("TEMPORARY_LOCKOUT"));
            Assert.That(next.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(next.ErrorInfo().Reason, Is.EqualTo("TEMPORARY_LOCKOUT"));
            Assert.That(next.RetryInfo()!.RetryDelay.ToTimeSpan(), Is.GreaterThan(TimeSpan.FromMinutes(14)).And.LessThanOrEqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(next.Status.Detail, Does.Contain("'lockout'").And.Contain("was not sent"));
            Assert.That(SentBy("lockout", "/0/private/OpenOrders"), Is.Empty, "a locked-out key sent a call");
            Assert.That(SentBy("lockout", "/0/private/Balance").Count(), Is.EqualTo(1), "a lockout is not retried");
        });
    }

    [Test]
    public async Task OtherKeys_AreNotStoppedByOneKeysLockout()
    {
        _kraken.Faults.Inject("/0/private/Balance", Fault.KrakenError("EGeneral:Temporary lockout"));
        Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("lockedoutneighbour")));

        var balances = await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("nonce"));

        Assert.That(balances.Balances, Does.ContainKey("ZUSD"));
    }

    [Test]
    public async Task Throttled_WaitsUntilTheSecondKrakenNames_ThenSucceeds()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(2);
        _kraken.Faults.Inject("/0/private/Balance", Fault.KrakenError($"EService:Throttled: {until.ToUnixTimeSeconds()}"));
        var watch = Stopwatch.StartNew();

        var balances = await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("throttled"), deadline: DateTime.UtcNow.AddSeconds(30));

        var sent = SentBy("throttled", "/0/private/Balance").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(balances.Balances, Does.ContainKey("ZUSD"));
            Assert.That(sent, Has.Count.EqualTo(2));
            Assert.That(sent[1].ReceivedAt, Is.GreaterThanOrEqualTo(DateTimeOffset.FromUnixTimeSeconds(until.ToUnixTimeSeconds())), "sent again before the throttle ended");
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        });
    }

    [Test]
    public void Throttled_BeyondTheDeadline_TellsTheCallerWhen_AndSendsNothingMore()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(40);
        _kraken.Faults.Inject("/0/private/Balance", Fault.KrakenError($"EService:Throttled: {until.ToUnixTimeSeconds()}"));

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("throttledlong"), deadline: DateTime.UtcNow.AddSeconds(5)))!;
        var next = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), As("throttledlong"), deadline: DateTime.UtcNow.AddSeconds(5)))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("THROTTLED"));
            Assert.That(failure.RetryInfo()!.RetryDelay.ToTimeSpan(), Is.GreaterThan(TimeSpan.FromSeconds(30)).And.LessThan(TimeSpan.FromSeconds(41)));
            Assert.That(next.ErrorInfo().Reason, Is.EqualTo("THROTTLED"));
            Assert.That(SentBy("throttledlong", "/0/private/Balance").Count(), Is.EqualTo(1));
            Assert.That(SentBy("throttledlong", "/0/private/OpenOrders"), Is.Empty);
        });
    }
}
