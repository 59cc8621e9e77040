using System.Text.Json.Nodes;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Orders against the emulated market: market and crossing limit orders fill at once as taker, resting limits fill
/// as maker when a market step brings the price to them, stops fire on the last price, and every fill books a trade,
/// two ledger entries and the fee.
/// </summary>
[TestFixture]
public sealed class MatchingEngineTests : PrivateEmulatorTestBase
{
    private const decimal TakerFee = 0.0026m;
    private const decimal MakerFee = 0.0016m;

    [Test]
    public async Task MarketBuy_FillsAtOnce_MovesBalances_AndAppearsInTradesAndLedgers()
    {
        var before = Account;
        var (_, _, ask, _) = await TopOfBookAsync();

        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.01"));

        var after = Account;
        var order = after.Order(txid)!;
        var trade = after.Trades.Single();
        var fee = decimal.Round(trade.Cost * TakerFee, 4, MidpointRounding.AwayFromZero);
        Assert.Multiple(() =>
        {
            Assert.That(order.Status, Is.EqualTo("closed"));
            Assert.That(order.VolumeExecuted, Is.EqualTo(0.01m));
            Assert.That(trade.OrderTxid, Is.EqualTo(txid));
            Assert.That(trade.Maker, Is.False);
            Assert.That(trade.Price, Is.GreaterThanOrEqualTo(ask), "a buy takes the asks");
            Assert.That(trade.Fee, Is.EqualTo(fee), "taker fee 0.26% in quote, the default when buying");
            Assert.That(after.Balance("XXBT"), Is.EqualTo(before.Balance("XXBT") + 0.01m));
            Assert.That(after.Balance("ZUSD"), Is.EqualTo(before.Balance("ZUSD") - trade.Cost - fee));
            Assert.That(after.Ledger.Where(e => e.RefId == trade.TradeId).Select(e => (e.Asset, e.Amount, e.Fee)), Is.EquivalentTo(new[]
            {
                ("ZUSD", -trade.Cost, fee),
                ("XXBT", 0.01m, 0m),
            }));
        });

        var history = await Client.ResultAsync("TradesHistory");
        var ledgers = await Client.ResultAsync("Ledgers", ("type", "trade"));
        Assert.Multiple(() =>
        {
            Assert.That(history.GetProperty("count").GetInt32(), Is.EqualTo(1));
            Assert.That(history.GetProperty("trades").GetProperty(trade.TradeId).GetProperty("ordertxid").GetString(), Is.EqualTo(txid));
            Assert.That(ledgers.GetProperty("count").GetInt32(), Is.EqualTo(2));
            Assert.That(ledgers.GetProperty("ledger").EnumerateObject().Select(p => p.Value.GetProperty("refid").GetString()), Is.All.EqualTo(trade.TradeId));
        });
    }

    [Test]
    public async Task MarketSell_PaysTheFeeInBase_ByDefault()
    {
        var before = Account;
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "market"), ("volume", "0.01"));
        var after = Account;
        var trade = after.Trades.Single();

        Assert.Multiple(() =>
        {
            Assert.That(after.Balance("XXBT"), Is.EqualTo(before.Balance("XXBT") - 0.01m - (0.01m * TakerFee)));
            Assert.That(after.Balance("ZUSD"), Is.EqualTo(before.Balance("ZUSD") + trade.Cost));
        });
    }

    [Test]
    public async Task FeeInQuote_WhenSellingWithFciq()
    {
        var before = Account;
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "market"), ("volume", "0.01"), ("oflags", "fciq"));
        var after = Account;
        var trade = after.Trades.Single();
        Assert.That(after.Balance("XXBT"), Is.EqualTo(before.Balance("XXBT") - 0.01m));
        Assert.That(after.Balance("ZUSD"), Is.EqualTo(before.Balance("ZUSD") + trade.Cost - trade.Fee));
    }

    [Test]
    public async Task LimitBuyBelowTheAsk_Rests_ThenFillsAsMaker_WhenAMarketStepCrossesIt()
    {
        var (bid, _, _, _) = await TopOfBookAsync();
        var price = bid - 1.0m;
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(price)), ("volume", "0.01"));

        var resting = Account;
        Assert.Multiple(() =>
        {
            Assert.That(resting.OpenOrders.Single().Txid, Is.EqualTo(txid));
            Assert.That(resting.Holds["ZUSD"], Is.EqualTo(0.01m * price * (1 + TakerFee)), "a resting buy holds its cost and the taker fee");
            Assert.That(resting.Available("ZUSD"), Is.EqualTo(100_000m - resting.Holds["ZUSD"]));
        });

        Assert.That(StepUntil(() => Account.Order(txid)!.Status == "closed"), Is.True, "the market never came down to the order");

        var filled = Account;
        var trade = filled.Trades.Single();
        Assert.Multiple(() =>
        {
            Assert.That(trade.Maker, Is.True);
            Assert.That(trade.Price, Is.EqualTo(price), "a maker fills at its own price");
            Assert.That(trade.Fee, Is.EqualTo(decimal.Round(trade.Cost * MakerFee, 4, MidpointRounding.AwayFromZero)));
            Assert.That(filled.Holds["ZUSD"], Is.Zero);
            Assert.That(filled.Balance("XXBT"), Is.EqualTo(2.01m));
        });
    }

    [Test]
    public async Task LimitBuyAboveTheAsk_FillsAtOnce_AsTaker_NoWorseThanItsLimit()
    {
        var (_, _, ask, _) = await TopOfBookAsync();
        var limit = decimal.Round(ask * 1.01m, 1);
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(limit)), ("volume", "0.001"));

        var trade = Account.Trades.Single();
        Assert.Multiple(() =>
        {
            Assert.That(Account.Order(txid)!.Status, Is.EqualTo("closed"));
            Assert.That(trade.Maker, Is.False);
            Assert.That(trade.Price, Is.InRange(ask, limit));
        });
    }

    [Test]
    public async Task PostOnly_ThatWouldTakeLiquidity_IsAcceptedThenCancelled()
    {
        var (bid, _, ask, _) = await TopOfBookAsync();
        var taking = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(ask)), ("volume", "0.01"), ("oflags", "post"));
        var resting = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(bid)), ("volume", "0.01"), ("oflags", "post"));

        var account = Account;
        var closed = await Client.ResultAsync("QueryOrders", ("txid", taking));
        Assert.Multiple(() =>
        {
            Assert.That(account.Order(taking)!.Status, Is.EqualTo("canceled"));
            Assert.That(account.Order(taking)!.Reason, Is.EqualTo("Post only order"));
            Assert.That(account.Order(resting)!.Status, Is.EqualTo("open"));
            Assert.That(account.Trades, Is.Empty);
            Assert.That(closed.GetProperty(taking).GetProperty("oflags").GetString(), Is.EqualTo("post,fciq"));
        });
    }

    [Test]
    public async Task ImmediateOrCancel_FillsWhatCrosses_AndCancelsTheRest()
    {
        var (bid, _, ask, askVolume) = await TopOfBookAsync();
        var partial = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(ask)), ("volume", Text(askVolume + 0.5m)), ("timeinforce", "IOC"));
        var nothing = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(bid - 5m)), ("volume", "0.01"), ("timeinforce", "IOC"));

        var account = Account;
        Assert.Multiple(() =>
        {
            Assert.That(account.Order(partial)!.VolumeExecuted, Is.EqualTo(askVolume), "only the best ask is at or below the limit");
            Assert.That(account.Order(partial)!.Status, Is.EqualTo("canceled"));
            Assert.That(account.Order(partial)!.Reason, Is.EqualTo("Immediate or cancel"));
            Assert.That(account.Order(nothing)!.Status, Is.EqualTo("canceled"));
            Assert.That(account.Order(nothing)!.VolumeExecuted, Is.Zero);
            Assert.That(account.OpenOrders, Is.Empty);
        });
    }

    [Test]
    public async Task FillOrKill_AllOrNothing()
    {
        var (_, _, ask, askVolume) = await TopOfBookAsync();
        var killed = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(ask)), ("volume", Text(askVolume + 0.5m)), ("timeinforce", "FOK"));
        var filled = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", Text(ask)), ("volume", Text(askVolume)), ("timeinforce", "FOK"));

        var account = Account;
        Assert.Multiple(() =>
        {
            Assert.That(account.Order(killed)!.Status, Is.EqualTo("canceled"));
            Assert.That(account.Order(killed)!.VolumeExecuted, Is.Zero);
            Assert.That(account.Order(filled)!.Status, Is.EqualTo("closed"));
            Assert.That(account.Order(filled)!.VolumeExecuted, Is.EqualTo(askVolume));
        });
    }

    [Test]
    public async Task StopLossSell_WaitsThenFires_WhenTheLastPriceFallsToItsTrigger()
    {
        var trigger = Kraken.Market.LastPrice("XBTUSD") - 0.5m;
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "stop-loss"), ("price", Text(trigger)), ("volume", "0.01"));
        Assert.That(Account.Order(txid)!.Status, Is.EqualTo("open"));

        Assert.That(StepUntil(() => Account.Order(txid)!.Status == "closed"), Is.True, "the price never fell to the trigger");

        var order = (await Client.ResultAsync("QueryOrders", ("txid", txid))).GetProperty(txid);
        Assert.Multiple(() =>
        {
            Assert.That(Account.Trades.Single().OrderTxid, Is.EqualTo(txid));
            Assert.That(order.GetProperty("misc").GetString(), Is.EqualTo("stopped"));
            Assert.That(Dec(order.GetProperty("stopprice").GetString()!), Is.EqualTo(trigger));
            Assert.That(order.GetProperty("descr").GetProperty("order").GetString(), Is.EqualTo($"sell 0.01000000 XBTUSD @ stop loss {trigger:F1}"));
        });
    }

    [Test]
    public async Task StopLossSell_AboveTheMarket_FiresAtOnce()
    {
        var trigger = Kraken.Market.LastPrice("XBTUSD") + 100m;
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "stop-loss"), ("price", Text(trigger)), ("volume", "0.01"));
        Assert.That(Account.Order(txid)!.Status, Is.EqualTo("closed"));
    }

    [Test]
    public async Task TakeProfitLimit_Fires_ThenRestsAtItsLimit()
    {
        var last = Kraken.Market.LastPrice("XBTUSD");
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "take-profit-limit"), ("price", Text(last - 100m)), ("price2", Text(last + 5000m)), ("volume", "0.01"));

        // Take-profit sells fire when the price is at or above the trigger (it is): the limit is far above, so it rests.
        var order = (await Client.ResultAsync("OpenOrders")).GetProperty("open").GetProperty(txid);
        Assert.Multiple(() =>
        {
            Assert.That(order.GetProperty("misc").GetString(), Is.EqualTo("touched"));
            Assert.That(Dec(order.GetProperty("limitprice").GetString()!), Is.EqualTo(last + 5000m));
            Assert.That(order.GetProperty("trigger").GetString(), Is.EqualTo("last"));
        });
    }

    [Test]
    public async Task TrailingStop_IsPlacedWithItsOffset()
    {
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "trailing-stop"), ("price", "+50"), ("volume", "0.01"));
        var order = (await Client.ResultAsync("QueryOrders", ("txid", txid))).GetProperty(txid);
        Assert.That(order.GetProperty("descr").GetProperty("order").GetString(), Is.EqualTo("sell 0.01000000 XBTUSD @ trailing stop +50.0"));
        Assert.That(await Client.ErrorAsync("AddOrder", ("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "trailing-stop"), ("price", "86000.0"), ("volume", "0.01")),
            Is.EqualTo("EGeneral:Invalid arguments:price"), "trailing stops take a +offset");
    }

    [Test]
    public async Task ConditionalClose_IsPlacedWhenTheParentFills()
    {
        var parent = await AddOrderAsync(
            ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.01"),
            ("close[ordertype]", "limit"), ("close[price]", "+1000"));

        var child = Account.OpenOrders.Single();
        Assert.Multiple(() =>
        {
            Assert.That(child.RefId, Is.EqualTo(parent));
            Assert.That(child.Side, Is.EqualTo("sell"));
            Assert.That(child.OrderType, Is.EqualTo("limit"));
            Assert.That(child.Volume, Is.EqualTo(0.01m));
            Assert.That(child.Price, Is.EqualTo(Kraken.Market.LastPrice("XBTUSD") + 1000m));
        });
    }

    [Test]
    public async Task ScheduledOrder_IsPendingUntilItsStartTime_AndGtdExpires()
    {
        var scheduled = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"), ("starttm", "+30"));
        var expiring = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"), ("timeinforce", "GTD"), ("expiretm", "+10"));
        Assert.That(Account.Order(scheduled)!.Status, Is.EqualTo("pending"));

        // Each market step moves the market clock at least one second.
        Kraken.Market.Step(12);
        Assert.Multiple(() =>
        {
            Assert.That(Account.Order(expiring)!.Status, Is.EqualTo("expired"));
            Assert.That(Account.Order(scheduled)!.Status, Is.EqualTo("pending"));
        });

        Kraken.Market.Step(25);
        Assert.That(Account.Order(scheduled)!.Status, Is.EqualTo("open"));
        Assert.That(Account.Holds["ZUSD"], Is.EqualTo(0.01m * 40000m * (1 + TakerFee)));
    }

    [Test]
    public async Task VolumeInQuote_BuysForTheQuoteAmount()
    {
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "100"), ("oflags", "viqc"));
        var trade = Account.Trades.Single();
        Assert.Multiple(() =>
        {
            Assert.That(trade.Cost, Is.InRange(99m, 100m));
            Assert.That(Account.Order(txid)!.Volume, Is.EqualTo(trade.Volume));
        });
    }

    [Test]
    public async Task SelfTradePrevention_CancelNewest_IsTheDefault_CancelOldestRemovesTheRestingOrder()
    {
        var (_, _, ask, _) = await TopOfBookAsync();
        var resting = await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "limit"), ("price", Text(ask)), ("volume", "0.01"));

        var newest = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "1"));
        Assert.That(Account.Order(newest)!.Reason, Is.EqualTo("Self trade prevention"));
        Assert.That(Account.Order(resting)!.Status, Is.EqualTo("open"));

        var oldest = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "1"), ("stptype", "cancel-oldest"));
        Assert.Multiple(() =>
        {
            Assert.That(Account.Order(resting)!.Reason, Is.EqualTo("Self trade prevention"));
            Assert.That(Account.Order(oldest)!.Status, Is.EqualTo("closed"));
        });
    }

    [Test]
    public async Task AmendOrder_ChangesQuantityAndPriceInPlace_AndRecordsTheAmend()
    {
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"));
        var amend = await Client.ResultAsync("AmendOrder", ("txid", txid), ("order_qty", "0.02"), ("limit_price", "41000.0"));

        var order = Account.Order(txid)!;
        var amends = await Client.ResultAsync("OrderAmends", ("order_id", txid));
        Assert.Multiple(() =>
        {
            Assert.That(order.Status, Is.EqualTo("open"));
            Assert.That(order.Volume, Is.EqualTo(0.02m));
            Assert.That(order.Price, Is.EqualTo(41000m));
            Assert.That(order.AmendCount, Is.EqualTo(1));
            Assert.That(Account.Holds["ZUSD"], Is.EqualTo(0.02m * 41000m * (1 + TakerFee)));
            Assert.That(amends.GetProperty("count").GetInt32(), Is.EqualTo(2));
            Assert.That(amends.GetProperty("amends")[0].GetProperty("amend_type").GetString(), Is.EqualTo("original"));
            Assert.That(amends.GetProperty("amends")[1].GetProperty("amend_id").GetString(), Is.EqualTo(amend.GetProperty("amend_id").GetString()));
            Assert.That(amends.GetProperty("amends")[1].GetProperty("limit_price").GetString(), Is.EqualTo("41000.0"));
        });
    }

    [Test]
    public async Task AmendOrder_PostOnlyPriceThatWouldTake_IsRefused_ClosedOrderIsInvalid()
    {
        var (_, _, ask, _) = await TopOfBookAsync();
        var txid = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"));
        Assert.That(await Client.ErrorAsync("AmendOrder", ("txid", txid), ("limit_price", Text(ask)), ("post_only", "true")), Is.EqualTo("EOrder:Post only order"));

        await Client.ResultAsync("CancelOrder", ("txid", txid));
        Assert.That(await Client.ErrorAsync("AmendOrder", ("txid", txid), ("order_qty", "0.02")), Is.EqualTo("EOrder:Invalid order"));
    }

    [Test]
    public async Task EditOrder_CancelsAndReplaces_WithANewTxid()
    {
        var original = await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.01"), ("userref", "7"));
        var edit = await Client.ResultAsync("EditOrder", ("txid", original), ("pair", "XBTUSD"), ("price", "41000.0"), ("volume", "0.02"), ("userref", "8"));

        var replacement = edit.GetProperty("txid").GetString()!;
        var account = Account;
        Assert.Multiple(() =>
        {
            Assert.That(replacement, Is.Not.EqualTo(original));
            Assert.That(edit.GetProperty("originaltxid").GetString(), Is.EqualTo(original));
            Assert.That(edit.GetProperty("newuserref").GetString(), Is.EqualTo("8"));
            Assert.That(edit.GetProperty("olduserref").GetString(), Is.EqualTo("7"));
            Assert.That(account.Order(original)!.Status, Is.EqualTo("canceled"));
            Assert.That(account.Order(original)!.Reason, Is.EqualTo("Order replaced"));
            Assert.That(account.Order(replacement)!.Price, Is.EqualTo(41000m));
            Assert.That(account.Order(replacement)!.Volume, Is.EqualTo(0.02m));
            Assert.That(account.Order(replacement)!.UserRef, Is.EqualTo(8));
            Assert.That(account.OpenOrders, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task CancelOrder_ByTxid_ByUserref_ByClOrdId()
    {
        var byTxid = await AddOrderAsync(RestingBuy());
        await AddOrderAsync([.. RestingBuy(), ("userref", "5")]);
        await AddOrderAsync([.. RestingBuy(), ("userref", "5")]);
        await AddOrderAsync([.. RestingBuy(), ("cl_ord_id", "my-order-1")]);

        var one = await Client.ResultAsync("CancelOrder", ("txid", byTxid));
        var two = await Client.ResultAsync("CancelOrder", ("txid", "5"));
        var three = await Client.ResultAsync("CancelOrder", ("cl_ord_id", "my-order-1"));
        var again = await Client.ErrorAsync("CancelOrder", ("txid", byTxid));

        Assert.Multiple(() =>
        {
            Assert.That(one.GetProperty("count").GetInt32(), Is.EqualTo(1));
            Assert.That(two.GetProperty("count").GetInt32(), Is.EqualTo(2));
            Assert.That(three.GetProperty("count").GetInt32(), Is.EqualTo(1));
            Assert.That(again, Is.EqualTo("EOrder:Invalid order"));
            Assert.That(Account.OpenOrders, Is.Empty);
            Assert.That(Account.ClosedOrders.Select(o => o.Reason), Is.All.EqualTo("User requested"));
        });
    }

    [Test]
    public async Task CancelAll_CancelsEveryOpenOrder()
    {
        await AddOrderAsync(RestingBuy());
        await AddOrderAsync(("pair", "ETHUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "1000.00"), ("volume", "0.1"));
        var result = await Client.ResultAsync("CancelAll");
        Assert.That(result.GetProperty("count").GetInt32(), Is.EqualTo(2));
        Assert.That(Account.OpenOrders, Is.Empty);
    }

    [Test]
    public async Task CancelAllOrdersAfter_FiresWhenNotRenewed_RenewalPostponesIt()
    {
        await AddOrderAsync(RestingBuy());
        await AddOrderAsync(RestingBuy());

        var armed = await Client.ResultAsync("CancelAllOrdersAfter", ("timeout", "60"));
        var current = DateTimeOffset.Parse(armed.GetProperty("currentTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var trigger = DateTimeOffset.Parse(armed.GetProperty("triggerTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(trigger - current, Is.EqualTo(TimeSpan.FromSeconds(60)));

        Clock.Advance(TimeSpan.FromSeconds(40));
        await Client.ResultAsync("CancelAllOrdersAfter", ("timeout", "60"));
        Clock.Advance(TimeSpan.FromSeconds(40));
        Assert.That(Account.OpenOrders, Has.Count.EqualTo(2), "renewed 40 s ago with 60 s: not yet");

        Clock.Advance(TimeSpan.FromSeconds(21));
        Assert.Multiple(() =>
        {
            Assert.That(Account.OpenOrders, Is.Empty);
            Assert.That(Account.ClosedOrders.Select(o => o.Status), Is.All.EqualTo("canceled"));
        });
    }

    [Test]
    public async Task CancelAllOrdersAfter_ZeroDisarms()
    {
        await AddOrderAsync(RestingBuy());
        await Client.ResultAsync("CancelAllOrdersAfter", ("timeout", "10"));
        var disarmed = await Client.ResultAsync("CancelAllOrdersAfter", ("timeout", "0"));
        Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.That(disarmed.GetProperty("triggerTime").GetString(), Is.EqualTo("0"));
        Assert.That(Account.OpenOrders, Has.Count.EqualTo(1));
        Assert.That(await Client.ErrorAsync("CancelAllOrdersAfter", ("timeout", "86400")), Is.EqualTo("EGeneral:Invalid arguments:timeout"));
    }

    [Test]
    public async Task AddOrderBatch_PlacesEachOrder_AndReportsPerOrderErrors()
    {
        var result = await Client.JsonResultAsync("AddOrderBatch", new JsonObject
        {
            ["pair"] = "XBT/USD",
            ["orders"] = new JsonArray(
                new JsonObject { ["ordertype"] = "limit", ["type"] = "buy", ["price"] = "40000.0", ["volume"] = "0.01", ["cl_ord_id"] = "batch-1" },
                new JsonObject { ["ordertype"] = "limit", ["type"] = "buy", ["price"] = "40000.0", ["volume"] = "100" },
                new JsonObject { ["ordertype"] = "limit", ["type"] = "sell", ["price"] = "150000.0", ["volume"] = "0.5", ["userref"] = 12 }),
        });

        var orders = result.GetProperty("orders");
        Assert.Multiple(() =>
        {
            Assert.That(orders.GetArrayLength(), Is.EqualTo(3));
            Assert.That(orders[0].GetProperty("txid").GetString(), Is.EqualTo(Account.OpenOrders.Single(o => o.ClOrdId == "batch-1").Txid));
            Assert.That(orders[1].TryGetProperty("txid", out _), Is.False);
            Assert.That(orders[1].GetProperty("error").GetString(), Is.EqualTo("EOrder:Insufficient funds"));
            Assert.That(orders[2].GetProperty("descr").GetProperty("order").GetString(), Is.EqualTo("sell 0.50000000 XBTUSD @ limit 150000.0"));
            Assert.That(Account.OpenOrders, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task AddOrderBatch_OneMalformedOrder_RejectsTheWholeBatch()
    {
        var error = await Client.JsonErrorAsync("AddOrderBatch", new JsonObject
        {
            ["pair"] = "XBTUSD",
            ["orders"] = new JsonArray(
                new JsonObject { ["ordertype"] = "limit", ["type"] = "buy", ["price"] = "40000.0", ["volume"] = "0.01" },
                new JsonObject { ["ordertype"] = "bogus", ["type"] = "buy", ["price"] = "40000.0", ["volume"] = "0.01" }),
        });
        Assert.That(error, Is.EqualTo("EGeneral:Invalid arguments:ordertype"));
        Assert.That(Account.OpenOrders, Is.Empty);

        var single = await Client.JsonErrorAsync("AddOrderBatch", new JsonObject
        {
            ["pair"] = "XBTUSD",
            ["orders"] = new JsonArray(new JsonObject { ["ordertype"] = "limit", ["type"] = "buy", ["price"] = "40000.0", ["volume"] = "0.01" }),
        });
        Assert.That(single, Is.EqualTo("EGeneral:Invalid arguments:orders"), "a batch has 2 to 15 orders");
    }

    [Test]
    public async Task CancelOrderBatch_ByTxidUserrefAndClientId()
    {
        var byTxid = await AddOrderAsync(RestingBuy());
        await AddOrderAsync([.. RestingBuy(), ("userref", "77")]);
        await AddOrderAsync([.. RestingBuy(), ("cl_ord_id", "batch-3")]);
        var kept = await AddOrderAsync(RestingBuy());

        var result = await Client.JsonResultAsync("CancelOrderBatch", new JsonObject
        {
            ["orders"] = new JsonArray(byTxid, "77"),
            ["cl_ord_ids"] = new JsonArray("batch-3"),
        });

        Assert.That(result.GetProperty("count").GetInt32(), Is.EqualTo(3));
        Assert.That(Account.OpenOrders.Single().Txid, Is.EqualTo(kept));
    }

    [Test]
    public async Task DuplicateClientOrderId_IsRefusedWhileTheFirstIsOpen()
    {
        var first = await AddOrderAsync([.. RestingBuy(), ("cl_ord_id", "6d1b345e-2821-40e2-ad83-4ecb18a06876")]);
        var duplicate = await Client.ErrorAsync("AddOrder", [.. RestingBuy(), ("cl_ord_id", "6d1b345e-2821-40e2-ad83-4ecb18a06876")]);
        await Client.ResultAsync("CancelOrder", ("txid", first));
        var reused = await Client.ResultAsync("AddOrder", [.. RestingBuy(), ("cl_ord_id", "6d1b345e-2821-40e2-ad83-4ecb18a06876")]);

        Assert.That(duplicate, Is.EqualTo("EOrder:Duplicate order"));
        Assert.That(reused.GetProperty("txid")[0].GetString(), Is.Not.EqualTo(first));
    }

    [Test]
    public async Task InsufficientFunds_CountsWhatOpenOrdersHold()
    {
        Assert.That(await Client.ErrorAsync("AddOrder", ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "3")),
            Is.EqualTo("EOrder:Insufficient funds"));
        Assert.That(await Client.ErrorAsync("AddOrder", ("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "market"), ("volume", "2.5")),
            Is.EqualTo("EOrder:Insufficient funds"));

        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "2"));
        Assert.That(await Client.ErrorAsync("AddOrder", ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.5")),
            Is.EqualTo("EOrder:Insufficient funds"), "80 200 USD of 100 000 is held");
    }

    [TestCase("pair", null, "EGeneral:Invalid arguments:pair")]
    [TestCase("pair", "DOGEUSD", "EQuery:Unknown asset pair")]
    [TestCase("type", "hold", "EGeneral:Invalid arguments:type")]
    [TestCase("ordertype", "stop", "EGeneral:Invalid arguments:ordertype")]
    [TestCase("volume", null, "EGeneral:Invalid arguments:volume")]
    [TestCase("volume", "0.000000001", "EGeneral:Invalid arguments:volume")]
    [TestCase("volume", "0.00005", "EOrder:Order minimum not met")]
    [TestCase("price", null, "EGeneral:Invalid arguments:price")]
    [TestCase("price", "40000.05", "EOrder:Tick size check failed")]
    [TestCase("price", "1000.0", "EOrder:Cost minimum not met")]
    [TestCase("timeinforce", "DAY", "EGeneral:Invalid arguments:timeinforce")]
    [TestCase("timeinforce", "GTD", "EGeneral:Invalid arguments:expiretm")]
    [TestCase("expiretm", "+2", "EGeneral:Invalid arguments:expiretm")]
    [TestCase("oflags", "post,bogus", "EGeneral:Invalid arguments:oflags")]
    [TestCase("oflags", "viqc", "EGeneral:Invalid arguments:viqc")]
    [TestCase("cl_ord_id", "this-id-is-too-long-for-kraken", "EGeneral:Invalid arguments:cl_ord_id")]
    [TestCase("userref", "12.5", "EGeneral:Invalid arguments:userref")]
    [TestCase("leverage", "7", "EGeneral:Invalid arguments:leverage")]
    [TestCase("stptype", "cancel-all", "EGeneral:Invalid arguments:stptype")]
    [TestCase("reduce_only", "true", "EOrder:Reduce only:No position exists")]
    public async Task AddOrder_RefusesBadParameters_WithKrakensErrors(string name, string? value, string expected)
    {
        var parameters = new Dictionary<string, string>
        {
            ["pair"] = "XBTUSD", ["type"] = "buy", ["ordertype"] = "limit", ["price"] = "40000.0", ["volume"] = "0.0001",
        };
        if (value is null)
        {
            parameters.Remove(name);
        }
        else
        {
            parameters[name] = value;
        }

        var error = await Client.ErrorAsync("AddOrder", parameters.Select(kv => (kv.Key, kv.Value)).ToArray());
        Assert.That(error, Is.EqualTo(expected));
        Assert.That(Account.OpenOrders, Is.Empty);
    }

    [Test]
    public async Task AddOrder_StopLimitWithoutPrice2_IsInvalid_BothUserrefAndClOrdIdAreInvalid()
    {
        Assert.That(await Client.ErrorAsync("AddOrder", ("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "stop-loss-limit"), ("price", "80000.0"), ("volume", "0.01")),
            Is.EqualTo("EGeneral:Invalid arguments:price2"));
        Assert.That(await Client.ErrorAsync("AddOrder", [.. RestingBuy(), ("userref", "1"), ("cl_ord_id", "x")]),
            Is.EqualTo("EGeneral:Invalid arguments:cl_ord_id"));
    }

    [Test]
    public async Task Validate_AnswersTheDescriptionWithoutATxid_AndPlacesNothing()
    {
        var result = await Client.ResultAsync("AddOrder", [.. RestingBuy(), ("validate", "true")]);
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("descr").GetProperty("order").GetString(), Is.EqualTo("buy 0.00100000 XBTUSD @ limit 40000.0"));
            Assert.That(result.TryGetProperty("txid", out _), Is.False);
            Assert.That(Account.OpenOrders, Is.Empty);
            Assert.That(Account.ClosedOrders, Is.Empty);
        });
    }

    [Test]
    public async Task Deadline_InThePast_IsRefused_AheadIsAccepted()
    {
        var past = Clock.GetUtcNow().AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var ahead = Clock.GetUtcNow().AddSeconds(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(await Client.ErrorAsync("AddOrder", [.. RestingBuy(), ("deadline", past)]), Is.EqualTo("EService:Deadline elapsed"));
        await AddOrderAsync([.. RestingBuy(), ("deadline", ahead)]);
        Assert.That(Account.OpenOrders, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CancelOnlyMarket_RefusesNewOrders()
    {
        Kraken.Market.SystemStatus = "cancel_only";
        Assert.That(await Client.ErrorAsync("AddOrder", RestingBuy()), Is.EqualTo("EService:Market in cancel_only mode"));
    }

    private static (string, string)[] RestingBuy() =>
        [("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "limit"), ("price", "40000.0"), ("volume", "0.001")];
}
