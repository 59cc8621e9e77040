using System.Text.Json;
using System.Text.Json.Nodes;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Every private endpoint answers in the shape of Kraken's documented example (fixtures/docs): the same keys in the
/// same order, strings where Kraken writes strings (with the same decimals), numbers where it writes numbers.
/// Results keyed by ids are compared entry by entry with one of the example's entries.
/// </summary>
[TestFixture]
public sealed class PrivateShapeTests : PrivateEmulatorTestBase
{
    private const string CreditKey = "credit-key";

    private static readonly Dictionary<string, string?> ResultIsMap = new() { ["$.result"] = null };

    [Test]
    public async Task Balance_MatchesKrakenExample() =>
        AssertShape("Balance.json", await Client.PostAsync("Balance"), new Dictionary<string, string?> { ["$.result"] = "=" });

    [Test]
    public async Task BalanceEx_MatchesKrakenExample()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.5"));
        AssertShape("BalanceEx.json", await Client.PostAsync("BalanceEx"), new Dictionary<string, string?> { ["$.result"] = "=" });
    }

    [Test]
    public async Task CreditLines_MatchesKrakenExample_ForAnAccountWithCredit()
    {
        var credit = new PrivateClient(Http, CreditKey, Secret);
        AssertShape("CreditLines.json", await credit.PostAsync("CreditLines"));
    }

    [Test]
    public async Task CreditLines_IsNull_ForAnAccountWithoutCredit()
    {
        var result = await Client.ResultAsync("CreditLines");
        Assert.That(result.ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task TradeBalance_MatchesKrakenExample() => AssertShape("TradeBalance.json", await Client.PostAsync("TradeBalance", ("asset", "ZUSD")));

    [Test]
    public async Task OpenOrders_MatchesKrakenExample()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "14500.0"), ("volume", "0.275"), ("leverage", "5:1"), ("userref", "45326"));
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "30010.0"), ("volume", "1.25"));

        // The example's second order is the unfilled one, as these are.
        AssertShape("OpenOrders.json", await Client.PostAsync("OpenOrders"), new Dictionary<string, string?> { ["$.result.open"] = "OB5VMB-B4U2U-DK2WRW" });
    }

    [Test]
    public async Task ClosedOrders_MatchesKrakenExample()
    {
        // A stop far above the market: it waits, and is cancelled before it fires.
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "stop-loss"), ("price", "200000.0"), ("volume", "0.001"), ("trigger", "index"));
        await Client.ResultAsync("CancelOrder", ("txid", txid));

        AssertShape("ClosedOrders.json", await Client.PostAsync("ClosedOrders"), new Dictionary<string, string?> { ["$.result.closed"] = null });
    }

    [Test]
    public async Task QueryOrders_MatchesKrakenExample_ForAFilledMarketOrder()
    {
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "market"), ("volume", "0.25"));
        AssertShape("QueryOrders.json", await Client.PostAsync("QueryOrders", ("txid", txid), ("trades", "true")), new Dictionary<string, string?> { ["$.result"] = "OMMDB2-FSB6Z-7W3HPO" });
    }

    [Test]
    public async Task OrderAmends_MatchesKrakenExample()
    {
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "61032.8"), ("volume", "0.01"));
        await Client.ResultAsync("AmendOrder", ("txid", txid), ("limit_price", "61032.7"));
        await Client.ResultAsync("AmendOrder", ("txid", txid), ("limit_price", "61032.6"));

        AssertShape("OrderAmends.json", await Client.PostAsync("OrderAmends", ("order_id", txid)));
    }

    [Test]
    public async Task TradesHistory_MatchesKrakenExample()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.02"));
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.01"));

        // The example has no "count": ask without it.
        AssertShape("TradesHistory.json", await Client.PostAsync("TradesHistory", ("without_count", "true")), new Dictionary<string, string?> { ["$.result.trades"] = null });
    }

    [Test]
    public async Task QueryTrades_MatchesKrakenExample()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.02"));
        var trades = Account.Trades.Select(t => t.TradeId);
        AssertShape("QueryTrades.json", await Client.PostAsync("QueryTrades", ("txid", string.Join(',', trades))), ResultIsMap);
    }

    [Test]
    public async Task Ledgers_MatchesKrakenExample()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "market"), ("volume", "0.001"));

        // The example's entries are in a four-decimal currency (ZGBP); ask for USD entries.
        AssertShape("Ledgers.json", await Client.PostAsync("Ledgers", ("asset", "ZUSD")), new Dictionary<string, string?> { ["$.result.ledger"] = null });
    }

    [Test]
    public async Task QueryLedgers_MatchesKrakenExample()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.001"));
        var usdEntry = Account.Ledger.Last(e => e.Asset == "ZUSD");
        AssertShape("QueryLedgers.json", await Client.PostAsync("QueryLedgers", ("id", usdEntry.LedgerId)), ResultIsMap);
    }

    [Test]
    public async Task TradeVolume_MatchesKrakenExample() => AssertShape("TradeVolume.json", await Client.PostAsync("TradeVolume", ("pair", "XBTUSD")));

    [Test]
    public async Task AddExport_ExportStatus_RemoveExport_MatchKrakenExamples()
    {
        var added = await Client.PostAsync("AddExport", ("report", "trades"), ("description", "my_trades_1"));
        AssertShape("AddExport.json", added);
        Clock.Advance(TimeSpan.FromSeconds(10));
        AssertShape("ExportStatus.json", await Client.PostAsync("ExportStatus", ("report", "trades")));
        var id = added.GetProperty("result").GetProperty("id").GetString()!;
        AssertShape("RemoveExport.json", await Client.PostAsync("RemoveExport", ("id", id), ("type", "delete")));
    }

    [Test]
    public async Task GetApiKeyInfo_MatchesKrakenExample() => AssertShape("GetApiKeyInfo.json", await Client.PostAsync("GetApiKeyInfo"));

    [Test]
    public async Task Level3_MatchesKrakenExample() =>
        AssertShape("Level3.json", await Client.PostJsonAsync("Level3", new JsonObject { ["pair"] = "BTC/USD", ["depth"] = 10 }));

    [Test]
    public async Task AddOrder_MatchesKrakenExample()
    {
        var answer = await Client.PostAsync(
            "AddOrder",
            ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "25000.1"), ("volume", "2.1234"), ("leverage", "2:1"),
            ("close[ordertype]", "stop-loss-limit"), ("close[price]", "22000.0"), ("close[price2]", "21000.0"));
        AssertShape("AddOrder.json", answer);
        Assert.That(answer.GetProperty("result").GetProperty("descr").GetProperty("order").GetString(), Is.EqualTo("buy 2.12340000 XBTUSD @ limit 25000.1 with 2:1 leverage"));
        Assert.That(answer.GetProperty("result").GetProperty("descr").GetProperty("close").GetString(), Is.EqualTo("close position @ stop loss 22000.0 -> limit 21000.0"));
    }

    [Test]
    public async Task AddOrderBatch_MatchesKrakenExample()
    {
        var close = new JsonObject { ["ordertype"] = "stop-loss-limit", ["price"] = "27000.0", ["price2"] = "26000.0" };
        var answer = await Client.PostJsonAsync("AddOrderBatch", new JsonObject
        {
            ["pair"] = "XBTUSD",
            ["orders"] = new JsonArray(
                new JsonObject { ["ordertype"] = "limit", ["type"] = "buy", ["price"] = "28300.0", ["volume"] = "0.803", ["close"] = close.DeepClone() },
                new JsonObject { ["ordertype"] = "limit", ["type"] = "buy", ["price"] = "28200.0", ["volume"] = "0.105", ["close"] = close.DeepClone() }),
        });
        AssertShape("AddOrderBatch.json", answer);
    }

    [Test]
    public async Task AmendOrder_MatchesKrakenExample()
    {
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"));
        AssertShape("AmendOrder.json", await Client.PostAsync("AmendOrder", ("txid", txid), ("order_qty", "0.02")));
    }

    [Test]
    public async Task EditOrder_MatchesKrakenExample()
    {
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "stop-loss-limit"), ("price", "190000.0"), ("price2", "32500.0"), ("volume", "0.0003"));
        AssertShape("EditOrder.json", await Client.PostAsync("EditOrder", ("txid", txid), ("pair", "XBTUSD"), ("price", "195000.0")));
    }

    [Test]
    public async Task CancelOrder_CancelAll_CancelOrderBatch_MatchKrakenExamples()
    {
        var first = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"));
        AssertShape("CancelOrder.json", await Client.PostAsync("CancelOrder", ("txid", first)));

        var second = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"));
        var third = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"));
        AssertShape("CancelOrderBatch.json", await Client.PostJsonAsync("CancelOrderBatch", new JsonObject { ["orders"] = new JsonArray(second, third) }));

        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"));
        AssertShape("CancelAll.json", await Client.PostAsync("CancelAll"));
    }

    [Test]
    public async Task CancelAllOrdersAfter_MatchesKrakenExample() =>
        AssertShape("CancelAllOrdersAfter.json", await Client.PostAsync("CancelAllOrdersAfter", ("timeout", "60")));

    [Test]
    public async Task GetWebSocketsToken_MatchesKrakenExample() => AssertShape("GetWebSocketsToken.json", await Client.PostAsync("GetWebSocketsToken"));

    [Test]
    public async Task CreateSubaccount_AccountTransfer_MatchKrakenExamples()
    {
        AssertShape("CreateSubaccount.json", await Client.PostAsync("CreateSubaccount", ("username", "desk-2"), ("email", "desk2@example.com")));
        var subaccount = Account.Subaccounts.Single();
        AssertShape("AccountTransfer.json", await Client.PostAsync("AccountTransfer", ("asset", "XBT"), ("amount", "0.5"), ("from", Account.Iiban), ("to", subaccount.Iiban)));
    }

    [Test]
    public async Task OpenPositions_IsAnEmptyMap_TheEmulatorHoldsNoMarginPositions()
    {
        var result = await Client.ResultAsync("OpenPositions", ("docalcs", "true"));
        Assert.That(result.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(result.EnumerateObject(), Is.Empty);
    }

    protected override void Configure(KrakenEmulatorOptions options) =>
        options.Accounts.Add(new EmulatedAccountOptions(CreditKey, Secret)
        {
            Balances = new Dictionary<string, decimal> { ["ZUSD"] = 1000.5m, ["ZEUR"] = 500.25m },
            CreditLimits = new Dictionary<string, decimal> { ["USD"] = 50_000m, ["EUR"] = 25_000m },
        });
}
