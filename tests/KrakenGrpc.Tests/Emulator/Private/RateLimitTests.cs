using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Kraken's rate limits (protocol.md §8), on the emulator's fake clock so decay happens only when a test advances
/// time: the REST call counter per key and tier, the per-pair trading counter with age-based cancel penalties, and
/// the open-order cap per pair.
/// </summary>
[TestFixture]
public sealed class RateLimitTests : PrivateEmulatorTestBase
{
    private const string ProKey = "pro-key";
    private const string IntermediateKey = "intermediate-key";

    [Test]
    public async Task RestCounter_Starter_AcceptsFifteenCalls_ThenRefuses_AndTheRefusalStillCounts()
    {
        for (var i = 0; i < 15; i++)
        {
            await Client.ResultAsync("Balance");
        }

        var refused = await Client.ErrorAsync("Balance");
        Assert.That(refused, Is.EqualTo("EAPI:Rate limit exceeded"));
        Assert.That(Kraken.Statistics.For(Key).RestRateLimitRefusals, Is.EqualTo(1));

        // The refused call took the counter to 16: at -0.33/s it needs just over 6 s to let one more call in.
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(await Client.ErrorAsync("Balance"), Is.EqualTo("EAPI:Rate limit exceeded"));
        Clock.Advance(TimeSpan.FromSeconds(10));
        await Client.ResultAsync("Balance");
    }

    [Test]
    public async Task RestCounter_LedgerAndTradeHistoryCostTwo()
    {
        for (var i = 0; i < 7; i++)
        {
            await Client.ResultAsync(i % 2 == 0 ? "Ledgers" : "TradesHistory");
        }

        // 14 used: a 2-point call would reach 16, a 1-point call fits.
        Assert.That(await Client.ErrorAsync("QueryLedgers", ("id", "LAAAAA-AAAAA-AAAAAA")), Is.EqualTo("EAPI:Rate limit exceeded"));
    }

    [Test]
    public async Task RestCounter_OneCostCall_FitsWhereATwoCostCallDoesNot()
    {
        for (var i = 0; i < 7; i++)
        {
            await Client.ResultAsync("Ledgers");
        }

        await Client.ResultAsync("Balance");
        Assert.That(await Client.ErrorAsync("Balance"), Is.EqualTo("EAPI:Rate limit exceeded"));
    }

    [Test]
    public async Task RestCounter_OrderCalls_AreNotChargedToIt()
    {
        for (var i = 0; i < 15; i++)
        {
            await Client.ResultAsync("OpenOrders");
        }

        // The counter is full, yet AddOrder and CancelOrder work: they use the trading counter.
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000"), ("volume", "0.001"));
        var cancelled = await Client.ResultAsync("CancelOrder", ("txid", txid));
        Assert.That(cancelled.GetProperty("count").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task RestCounter_Pro_AllowsTwenty_AndDecaysOnePerSecond()
    {
        var pro = new PrivateClient(Http, ProKey, Secret);
        for (var i = 0; i < 20; i++)
        {
            await pro.ResultAsync("Balance");
        }

        Assert.That(await pro.ErrorAsync("Balance"), Is.EqualTo("EAPI:Rate limit exceeded"));
        Clock.Advance(TimeSpan.FromSeconds(2));
        await pro.ResultAsync("Balance");
    }

    [Test]
    public async Task RestCounters_ArePerKey()
    {
        for (var i = 0; i < 16; i++)
        {
            await Client.PostAsync("Balance");
        }

        await new PrivateClient(Http, ProKey, Secret).ResultAsync("Balance");
        Assert.That(Kraken.Statistics.For(ProKey).RestRateLimitRefusals, Is.Zero);
    }

    [Test]
    public async Task TradingCounter_CancelWithinFiveSecondsCostsEight_RefusedAboveSixty()
    {
        // Each cycle: AddOrder +1, an immediate CancelOrder +8 (protocol.md §8.2).
        for (var cycle = 0; cycle < 6; cycle++)
        {
            var id = await AddOrderAsync(RestingBuy());
            await Client.ResultAsync("CancelOrder", ("txid", id));
        }

        // 54 used; the add takes it to 55, and a cancel now (+8) would pass 60.
        var txid = await AddOrderAsync(RestingBuy());
        var refused = await Client.ErrorAsync("CancelOrder", ("txid", txid));

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo("EOrder:Rate limit exceeded"));
            Assert.That(Kraken.Statistics.For(Key).TradingRateLimitRefusals, Is.EqualTo(1));
            Assert.That(Account.OpenOrders.Single().Txid, Is.EqualTo(txid), "a refused cancel leaves the order open");
        });

        // Older orders cost less to cancel and the counter decays at 1/s: 10 s later it is 45 + 5.
        Clock.Advance(TimeSpan.FromSeconds(10));
        await Client.ResultAsync("CancelOrder", ("txid", txid));
    }

    [Test]
    public async Task TradingCounter_IsPerPair()
    {
        for (var i = 0; i < 60; i++)
        {
            await Client.ResultAsync("AddOrder", RestingBuy(volume: "0.0001"));
        }

        // XBT/USD: 60 open orders, counter at 60; the 61st is refused, by the counter first.
        Assert.That(await Client.ErrorAsync("AddOrder", RestingBuy(volume: "0.0001")), Is.EqualTo("EOrder:Rate limit exceeded"));
        await Client.ResultAsync("AddOrder", ("pair", "ETHUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "1000.00"), ("volume", "0.01"));
    }

    [Test]
    public async Task OpenOrderCap_Intermediate_IsEightyPerPair()
    {
        var intermediate = new PrivateClient(Http, IntermediateKey, Secret);
        for (var i = 0; i < 80; i++)
        {
            await intermediate.ResultAsync("AddOrder", RestingBuy(volume: "0.0001"));
        }

        var refused = await intermediate.ErrorAsync("AddOrder", RestingBuy(volume: "0.0001"));

        // Another pair has its own cap.
        var otherPair = await intermediate.PostAsync("AddOrder", ("pair", "ETHUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "1000.00"), ("volume", "0.01"));
        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo("EOrder:Orders limit exceeded"));
            Assert.That(Kraken.Statistics.For(IntermediateKey).OrdersLimitRefusals, Is.EqualTo(1));
            Assert.That(Kraken.Accounts.Get(IntermediateKey).OpenOrders, Has.Count.EqualTo(81));
            Assert.That(otherPair.GetProperty("error").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task ValidateOnly_DoesNotChargeTheTradingCounter()
    {
        for (var i = 0; i < 70; i++)
        {
            var result = await Client.ResultAsync("AddOrder", [.. RestingBuy(), ("validate", "true")]);
            Assert.That(result.TryGetProperty("txid", out _), Is.False);
        }

        Assert.That(Kraken.Statistics.For(Key).TradingRateLimitRefusals, Is.Zero);
    }

    protected override void Configure(KrakenEmulatorOptions options)
    {
        options.EnforceRateLimits = true;
        var balances = new Dictionary<string, decimal> { ["ZUSD"] = 100_000m, ["XXBT"] = 1m };
        options.Accounts.Add(new EmulatedAccountOptions(ProKey, Secret) { Tier = "Pro", Balances = balances });
        options.Accounts.Add(new EmulatedAccountOptions(IntermediateKey, Secret) { Tier = "Intermediate", Balances = balances });
    }

    private static (string, string)[] RestingBuy(string volume = "0.001") =>
        [("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", volume)];
}

/// <summary>With EnforceRateLimits off, nothing is refused for rate.</summary>
[TestFixture]
public sealed class RateLimitsOffTests : PrivateEmulatorTestBase
{
    [Test]
    public async Task ManyCalls_AreAllAnswered()
    {
        for (var i = 0; i < 40; i++)
        {
            await Client.ResultAsync("Ledgers");
        }

        Assert.That(Kraken.Statistics.For(Key).RestRateLimitRefusals, Is.Zero);
    }
}
