using System.Text.Json;
using System.Text.Json.Nodes;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>The account endpoints answer from the paper account with their documented filters and pagination.</summary>
[TestFixture]
public sealed class AccountQueryTests : PrivateEmulatorTestBase
{
    [Test]
    public async Task StartingBalances_AreDeposits_InBalanceBalanceExAndLedgers()
    {
        var balance = await Client.ResultAsync("Balance");
        var deposits = await Client.ResultAsync("Ledgers", ("type", "deposit"));

        Assert.Multiple(() =>
        {
            Assert.That(balance.EnumerateObject().Select(p => (p.Name, p.Value.GetString())), Is.EqualTo(new[]
            {
                ("ZUSD", "100000.0000"), ("XXBT", "2.0000000000"), ("XETH", "20.0000000000"), ("ZEUR", "50000.0000"), ("SOL", "500.0000000000"),
            }));
            Assert.That(deposits.GetProperty("count").GetInt32(), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task BalanceEx_ShowsWhatOpenOrdersHold()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "limit"), ("price", "150000.0"), ("volume", "0.5"), ("oflags", "fciq"));
        var xbt = (await Client.ResultAsync("BalanceEx")).GetProperty("XXBT");
        Assert.Multiple(() =>
        {
            Assert.That(xbt.GetProperty("balance").GetDecimal(), Is.EqualTo(2m));
            Assert.That(xbt.GetProperty("hold_trade").GetDecimal(), Is.EqualTo(0.5m));
            Assert.That(xbt.GetProperty("balance").GetRawText(), Is.EqualTo("2.0000000000"));
        });
    }

    [Test]
    public async Task Ledgers_PagesOfFifty_WithCount_AndFilters()
    {
        for (var i = 0; i < 30; i++)
        {
            // A second apart, so start/end have times to tell the entries apart.
            Clock.Advance(TimeSpan.FromSeconds(1));
            await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.0001"));
        }

        // 5 deposits + 30 trades x 2 entries.
        var first = await Client.ResultAsync("Ledgers");
        var second = await Client.ResultAsync("Ledgers", ("ofs", "50"));
        var xbt = await Client.ResultAsync("Ledgers", ("asset", "XBT"));
        var withoutCount = await Client.ResultAsync("Ledgers", ("without_count", "true"));
        var all = Account.Ledger;

        // start is exclusive, end inclusive, both by ledger id.
        var bounded = await Client.ResultAsync("Ledgers", ("start", all[10].LedgerId), ("end", all[^1].LedgerId));

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("count").GetInt32(), Is.EqualTo(65));
            Assert.That(first.GetProperty("ledger").EnumerateObject().Count(), Is.EqualTo(50));
            Assert.That(first.GetProperty("ledger").EnumerateObject().First().Name, Is.EqualTo(all[^1].LedgerId), "newest first");
            Assert.That(second.GetProperty("ledger").EnumerateObject().Count(), Is.EqualTo(15));
            Assert.That(xbt.GetProperty("count").GetInt32(), Is.EqualTo(31));
            Assert.That(withoutCount.TryGetProperty("count", out _), Is.False);
            Assert.That(bounded.GetProperty("count").GetInt32(), Is.EqualTo(all.Count(e => e.Time > all[10].Time)));
        });
    }

    [Test]
    public async Task TradesHistory_WithLedgers_AndQueryTrades()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.001"));
        await AddOrderAsync(("pair", "ETHUSD"), ("type", "sell"), ("ordertype", "market"), ("volume", "0.1"));
        var trades = Account.Trades;

        var history = await Client.ResultAsync("TradesHistory", ("ledgers", "true"));
        var queried = await Client.ResultAsync("QueryTrades", ("txid", trades[0].TradeId + ",TNOTHI-NGHER-E00000"));

        var newest = history.GetProperty("trades").EnumerateObject().First();
        Assert.Multiple(() =>
        {
            Assert.That(newest.Name, Is.EqualTo(trades[1].TradeId));
            Assert.That(newest.Value.GetProperty("pair").GetString(), Is.EqualTo("XETHZUSD"));
            Assert.That(newest.Value.GetProperty("ledgers").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(trades[1].LedgerIds));
            Assert.That(queried.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { trades[0].TradeId }));
        });
    }

    [Test]
    public async Task OpenAndClosedOrders_FilterByUserrefAndClientId_ClosedOrdersPages()
    {
        await AddOrderAsync(RestingBuy("userref", "1"));
        await AddOrderAsync(RestingBuy("userref", "2"));
        await AddOrderAsync(RestingBuy("cl_ord_id", "client-3"));
        for (var i = 0; i < 52; i++)
        {
            await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.0001"), ("userref", "9"));
        }

        var byUserref = await Client.ResultAsync("OpenOrders", ("userref", "2"));
        var byClientId = await Client.ResultAsync("OpenOrders", ("cl_ord_id", "client-3"));
        var closed = await Client.ResultAsync("ClosedOrders", ("userref", "9"), ("trades", "true"));
        var closedPage2 = await Client.ResultAsync("ClosedOrders", ("ofs", "50"));

        Assert.Multiple(() =>
        {
            Assert.That(byUserref.GetProperty("open").EnumerateObject().Single().Value.GetProperty("userref").GetInt32(), Is.EqualTo(2));
            Assert.That(byClientId.GetProperty("open").EnumerateObject().Single().Value.GetProperty("cl_ord_id").GetString(), Is.EqualTo("client-3"));
            Assert.That(closed.GetProperty("count").GetInt32(), Is.EqualTo(52));
            Assert.That(closed.GetProperty("closed").EnumerateObject().Count(), Is.EqualTo(50));
            Assert.That(closed.GetProperty("closed").EnumerateObject().First().Value.GetProperty("trades").GetArrayLength(), Is.EqualTo(1));
            Assert.That(closedPage2.GetProperty("closed").EnumerateObject().Count(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task QueryOrders_UnknownTxid_IsAnInvalidOrder_TooManyIsInvalid()
    {
        Assert.That(await Client.ErrorAsync("QueryOrders", ("txid", "ONOTHI-NGHER-E00000")), Is.EqualTo("EOrder:Invalid order"));
        var tooMany = string.Join(',', Enumerable.Range(0, 51).Select(i => $"O{i:D5}-AAAAA-AAAAAA"));
        Assert.That(await Client.ErrorAsync("QueryOrders", ("txid", tooMany)), Is.EqualTo("EGeneral:Invalid arguments:txid"));
    }

    [Test]
    public async Task TradeBalance_ValuesEverythingInTheAskedAsset()
    {
        var usd = await Client.ResultAsync("TradeBalance");
        var xbt = await Client.ResultAsync("TradeBalance", ("asset", "XBT"));
        var market = Kraken.Market;

        // Each asset through its own pair (ETH in XBT uses ETH/XBT), or through XBT or USD where none exists.
        var expectedUsd = 100_000m + (2m * market.LastPrice("XBTUSD")) + (20m * market.LastPrice("ETHUSD"))
            + (500m * market.LastPrice("SOLUSD")) + (50_000m / market.LastPrice("XBTEUR") * market.LastPrice("XBTUSD"));
        var expectedXbt = (100_000m / market.LastPrice("XBTUSD")) + 2m + (20m * market.LastPrice("ETHXBT"))
            + (500m * market.LastPrice("SOLUSD") / market.LastPrice("XBTUSD")) + (50_000m / market.LastPrice("XBTEUR"));

        Assert.Multiple(() =>
        {
            Assert.That(Dec(usd.GetProperty("eb").GetString()!), Is.EqualTo(expectedUsd).Within(0.01m));
            Assert.That(Dec(xbt.GetProperty("eb").GetString()!), Is.EqualTo(expectedXbt).Within(0.000001m));
            Assert.That(xbt.GetProperty("eb").GetString(), Does.Match(@"^\d+\.\d{10}$"));
        });
        Assert.That(await Client.ErrorAsync("TradeBalance", ("asset", "NOPE")), Is.EqualTo("EQuery:Unknown asset"));
    }

    [Test]
    public async Task TradeVolume_GrowsWithTrades_AndShowsTheFeeTier()
    {
        var before = await Client.ResultAsync("TradeVolume", ("pair", "XBTUSD,ETHUSD"));
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.1"));
        var after = await Client.ResultAsync("TradeVolume", ("pair", "XBTUSD"));

        Assert.Multiple(() =>
        {
            Assert.That(before.GetProperty("volume").GetString(), Is.EqualTo("0.0000"));
            Assert.That(before.GetProperty("fees").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "XXBTZUSD", "XETHZUSD" }));
            Assert.That(Dec(after.GetProperty("volume").GetString()!), Is.EqualTo(Account.Trades.Single().Cost).Within(0.0001m));
            Assert.That(after.GetProperty("fees").GetProperty("XXBTZUSD").GetProperty("fee").GetString(), Is.EqualTo("0.2600"));
            Assert.That(after.GetProperty("fees_maker").GetProperty("XXBTZUSD").GetProperty("nextfee").GetString(), Is.EqualTo("0.1400"));
        });
    }

    [Test]
    public async Task Level3_SplitsEachLevelIntoOrders_ThatAddUpToTheDepthVolume()
    {
        var level3 = await Client.JsonResultAsync("Level3", new JsonObject { ["pair"] = "XBTUSD", ["depth"] = 10 });
        var depthJson = await Http.GetStringAsync(new Uri("0/public/Depth?pair=XBTUSD&count=10", UriKind.Relative));
        using var depth = JsonDocument.Parse(depthJson);
        var depthBids = depth.RootElement.GetProperty("result").GetProperty("XXBTZUSD").GetProperty("bids").EnumerateArray()
            .Select(b => (Price: Dec(b[0].GetString()!), Volume: Dec(b[1].GetString()!))).ToArray();
        var level3Bids = level3.GetProperty("bids").EnumerateArray()
            .GroupBy(o => Dec(o.GetProperty("price").GetString()!))
            .Select(g => (Price: g.Key, Volume: g.Sum(o => Dec(o.GetProperty("qty").GetString()!)), Ids: g.Select(o => o.GetProperty("order_id").GetString()).ToArray()))
            .ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(level3.GetProperty("pair").GetString(), Is.EqualTo("BTC/USD"));
            Assert.That(level3Bids.Select(l => l.Price), Is.EqualTo(depthBids.Select(l => l.Price)));
            Assert.That(level3Bids.Select(l => decimal.Round(l.Volume, 3, MidpointRounding.AwayFromZero)), Is.EqualTo(depthBids.Select(l => l.Volume)));
            Assert.That(level3Bids.SelectMany(l => l.Ids), Is.Unique);
        });
        Assert.That(await Client.JsonErrorAsync("Level3", new JsonObject { ["pair"] = "XBTUSD", ["depth"] = 7 }), Is.EqualTo("EGeneral:Invalid arguments:depth"));
        Assert.That(await Client.JsonErrorAsync("Level3", new JsonObject { ["pair"] = "NOPE/USD" }), Is.EqualTo("EQuery:Unknown asset pair"));
    }

    [Test]
    public async Task AccountTransfer_MovesFundsToASubaccountAndBack()
    {
        await Client.ResultAsync("CreateSubaccount", ("username", "desk"), ("email", "desk@example.com"));
        var subaccount = Account.Subaccounts.Single();

        await Client.ResultAsync("AccountTransfer", ("asset", "ZUSD"), ("amount", "2500"), ("from", Account.Iiban), ("to", subaccount.Iiban));
        await Client.ResultAsync("AccountTransfer", ("asset", "USD"), ("amount", "500"), ("from", subaccount.Iiban), ("to", Account.Iiban));

        var account = Account;
        var tooMuch = await Client.ErrorAsync("AccountTransfer", ("asset", "ZUSD"), ("amount", "5000"), ("from", subaccount.Iiban), ("to", account.Iiban));
        var unknownIiban = await Client.ErrorAsync("AccountTransfer", ("asset", "ZUSD"), ("amount", "1"), ("from", account.Iiban), ("to", "ZZ00 0000 0000 0000"));
        var sameName = await Client.ErrorAsync("CreateSubaccount", ("username", "desk"), ("email", "other@example.com"));
        Assert.Multiple(() =>
        {
            Assert.That(account.Balance("ZUSD"), Is.EqualTo(98_000m));
            Assert.That(account.Subaccounts.Single().Balances["ZUSD"], Is.EqualTo(2_000m));
            Assert.That(account.Ledger.Count(e => e.Type == "transfer"), Is.EqualTo(2));
            Assert.That(tooMuch, Is.EqualTo("EFunding:Insufficient funds"));
            Assert.That(unknownIiban, Is.EqualTo("EGeneral:Invalid arguments:to"));
            Assert.That(sameName, Is.EqualTo("EGeneral:Invalid arguments:username"));
        });
    }

    [Test]
    public async Task GetWebSocketsToken_IsFreshEachTime()
    {
        var first = await Client.ResultAsync("GetWebSocketsToken");
        var second = await Client.ResultAsync("GetWebSocketsToken");
        Assert.That(first.GetProperty("token").GetString(), Is.Not.EqualTo(second.GetProperty("token").GetString()));
        Assert.That(first.GetProperty("expires").GetInt32(), Is.EqualTo(900));
    }

    [Test]
    public async Task Inspection_DepositAndWithdraw_AreLedgerEntries()
    {
        Kraken.Accounts.Deposit(Key, "DOT", 12.5m);
        Kraken.Accounts.Withdraw(Key, "ZUSD", 1_000m);

        var balance = await Client.ResultAsync("Balance");
        var withdrawals = await Client.ResultAsync("Ledgers", ("type", "withdrawal"));
        Assert.Multiple(() =>
        {
            Assert.That(balance.GetProperty("DOT").GetString(), Is.EqualTo("12.5000000000"));
            Assert.That(balance.GetProperty("ZUSD").GetString(), Is.EqualTo("99000.0000"));
            Assert.That(withdrawals.GetProperty("ledger").EnumerateObject().Single().Value.GetProperty("amount").GetString(), Is.EqualTo("-1000.0000"));
            Assert.Throws<InvalidOperationException>(() => Kraken.Accounts.Withdraw(Key, "XXBT", 3m));
            Assert.Throws<KeyNotFoundException>(() => Kraken.Accounts.Get("unknown"));
        });
    }

    private static (string, string)[] RestingBuy(string name, string value) =>
        [("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.001"), (name, value)];
}
