using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>The gateway sends concurrently: parallel signed calls must all be answered consistently.</summary>
[TestFixture]
public sealed class ConcurrencyTests : PrivateEmulatorTestBase
{
    private const string ParallelKey = "parallel-key";

    [Test]
    public async Task ParallelOrders_FromOneKeyWithANonceWindow_AreAllPlacedOnce()
    {
        // Nonces from one counter can overtake each other on the way; the window accepts them once each.
        var client = new PrivateClient(Http, ParallelKey, Secret);
        var calls = Enumerable.Range(0, 100).Select(i => client.PostAsync(
            "AddOrder",
            ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.001"), ("userref", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var answers = await Task.WhenAll(calls);

        var account = Kraken.Accounts.Get(ParallelKey);
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.GetProperty("error").GetArrayLength()), Is.All.Zero);
            Assert.That(account.OpenOrders.Select(o => o.UserRef), Is.EquivalentTo(Enumerable.Range(0, 100).Cast<int?>()));
            Assert.That(account.OpenOrders.Select(o => o.Txid), Is.Unique);
            Assert.That(account.Holds["ZUSD"], Is.EqualTo(100 * 0.001m * 40000m * 1.0026m));
        });
    }

    [Test]
    public async Task MarketStepsDuringOrders_KeepBalancesConsistentWithTheLedger()
    {
        var client = new PrivateClient(Http, ParallelKey, Secret);
        var stepping = Task.Run(() => Kraken.Market.Step(200));
        var orders = Enumerable.Range(0, 40).Select(i => client.PostAsync(
            "AddOrder",
            ("pair", "XBTUSD"), ("type", i % 2 == 0 ? "buy" : "sell"), ("ordertype", "market"), ("volume", "0.001")));
        await Task.WhenAll(orders);
        await stepping;

        var account = Kraken.Accounts.Get(ParallelKey);
        Assert.Multiple(() =>
        {
            foreach (var (asset, balance) in account.Balances)
            {
                Assert.That(account.Ledger.Where(e => e.Asset == asset).Sum(e => e.Amount - e.Fee), Is.EqualTo(balance), asset);
            }

            Assert.That(account.Trades, Has.Count.EqualTo(40));
        });
    }

    protected override void Configure(KrakenEmulatorOptions options) =>
        options.Accounts.Add(new EmulatedAccountOptions(ParallelKey, Secret)
        {
            Tier = "Pro",
            NonceWindow = 1_000,
            Balances = new Dictionary<string, decimal> { ["ZUSD"] = 100_000m, ["XXBT"] = 1m },
        });
}

/// <summary>With the price ticker running on the real clock (the sandbox's setup), resting orders fill on their own.</summary>
[TestFixture]
public sealed class TickingMarketTests
{
    [Test]
    public async Task RestingLimit_FillsWhileTheTickerMovesTheMarket_AndTheEmulatorStopsCleanly()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = TimeSpan.FromMilliseconds(20) };
        await using var kraken = await KrakenEmulator.StartAsync(options);
        using var http = new HttpClient { BaseAddress = kraken.BaseAddress };
        var client = new PrivateClient(http, EmulatedAccountOptions.SandboxApiKey, EmulatedAccountOptions.SandboxApiSecret);

        var book = await client.JsonResultAsync("Level3", new System.Text.Json.Nodes.JsonObject { ["pair"] = "XBT/USD", ["depth"] = 10 });
        var bid = decimal.Parse(book.GetProperty("bids")[0].GetProperty("price").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var answer = await client.ResultAsync("AddOrder", ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", (bid - 1m).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("volume", "0.01"));
        var txid = answer.GetProperty("txid")[0].GetString()!;

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (kraken.Accounts.Get(EmulatedAccountOptions.SandboxApiKey).Order(txid)!.Status != "closed" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.That(kraken.Accounts.Get(EmulatedAccountOptions.SandboxApiKey).Order(txid)!.Status, Is.EqualTo("closed"));
        // Stopping waits for the ticker, whose steps run the matching engine: nothing may have faulted it.
        Assert.DoesNotThrowAsync(async () => await kraken.DisposeAsync());
    }
}
