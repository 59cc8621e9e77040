using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Endpoints;
using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Trading;

/// <summary>Absolute prices of an order once relative forms are resolved against the last trade.</summary>
/// <param name="Price">Limit (limit, iceberg) or trigger price (stop, take-profit, trailing: the trigger now).</param>
/// <param name="Price2">The limit of a *-limit type.</param>
/// <param name="Reference">The price the order is valued at for cost minimum, funds and holds.</param>
internal readonly record struct ResolvedPrices(decimal? Price, decimal? Price2, decimal Reference);

/// <summary>What an order would take from the book now: base volume, exact quote cost, and the worst level reached.</summary>
internal readonly record struct Execution(decimal Volume, decimal Cost, decimal WorstPrice);

/// <summary>
/// Matches paper orders against the emulated public market. The public book is the counterparty: an order that
/// crosses takes the book's levels (walking them for its volume, consolidated into one trade as Kraken's
/// consolidate_taker does) and pays the taker fee; an order that does not rests and fills whole at its own price,
/// as maker, on the first market step whose best opposite price reaches it. Stops and take-profits fire when the
/// last traded price reaches their trigger. Paper orders never change the public book. Every method runs under
/// the market's gate.
/// </summary>
internal sealed class MatchingEngine : IDisposable
{
    private const long NanosPerSecond = 1_000_000_000L;
    private const long ThirtyDaysNs = 30L * 86_400L * NanosPerSecond;

    private readonly EmulatedMarket _market;
    private readonly AccountRegistry _accounts;
    private readonly AssetValuation _valuation;
    private readonly TimeProvider _clock;
    private readonly EmulatorStatistics _statistics;
    private readonly AssetDefinition _usd;
    private long _nextTradeId = 40_000_001;

    public MatchingEngine(EmulatedMarket market, AccountRegistry accounts, AssetValuation valuation, TimeProvider clock, EmulatorStatistics statistics, bool enforceRateLimits)
    {
        _market = market;
        _accounts = accounts;
        _valuation = valuation;
        _clock = clock;
        _statistics = statistics;
        EnforceRateLimits = enforceRateLimits;
        _usd = market.Catalogue.TryFindAsset("ZUSD", out var usd) ? usd : throw new InvalidOperationException("The catalogue lacks ZUSD.");
    }

    public bool EnforceRateLimits { get; }

    /// <summary>Market time, unix nanoseconds: what orders, trades and ledger entries are stamped with.</summary>
    public long NowNs => _market.NowNs;

    public long NowSeconds => NowNs / NanosPerSecond;

    public TimeProvider Clock => _clock;

    public PairMarket Book(PairDefinition pair) => _market.Pair(pair);

    public AssetDefinition Usd => _usd;

    public AssetValuation Valuation => _valuation;

    /// <summary>
    /// Runs at the end of every <see cref="Sweep"/>, inside the gate: the funding and Earn books complete what has
    /// come due (Earn operations, unbonding), so every path that lets time catch up sees them too.
    /// </summary>
    public Action? AfterSweep { get; set; }

    // ------------------------------------------------------------------ checks before placing

    /// <summary>
    /// The market's rules for an order, before any account state: the system status, the tick size (after relative
    /// prices are resolved), ordermin and costmin. Null when the order passes; <paramref name="prices"/> then holds
    /// its absolute prices.
    /// </summary>
    public string? CheckMarketRules(OrderRequest request, out ResolvedPrices prices)
    {
        prices = default;
        switch (_market.SystemStatus)
        {
            case "maintenance":
                return KrakenErrors.ServiceUnavailable;
            case "cancel_only":
                return KrakenErrors.CancelOnlyMode;
            case "post_only" when !request.PostOnly:
                return KrakenErrors.PostOnlyMode;
        }

        var pair = request.Pair;
        var last = Book(pair).LastPrice;
        decimal? price = null;
        if (request.Price is { } spec)
        {
            if (OrderTypes.IsTrailing(request.OrderType))
            {
                price = RoundToTick(pair, request.Side == OrderSide.Sell ? last - Delta(spec, last) : last + Delta(spec, last));
            }
            else if (spec.IsRelative)
            {
                price = RoundToTick(pair, last + (Sign(spec.Prefix, PrimaryHashSign(request)) * Delta(spec, last)));
            }
            else if (spec.Value % pair.TickSize != 0m)
            {
                return KrakenErrors.TickSizeCheckFailed;
            }
            else
            {
                price = spec.Value;
            }

            if (price <= 0m)
            {
                return KrakenErrors.InvalidArgument("price");
            }
        }

        decimal? price2 = null;
        if (request.Price2 is { } spec2 && OrderTypes.NeedsPrice2(request.OrderType))
        {
            if (spec2.IsRelative)
            {
                // Relative to the trigger price, as Kraken documents for the trailing-stop-limit's limit.
                var trigger = price ?? last;
                price2 = RoundToTick(pair, trigger + (Sign(spec2.Prefix, request.Side == OrderSide.Buy ? 1 : -1) * Delta(spec2, trigger)));
            }
            else if (spec2.Value % pair.TickSize != 0m)
            {
                return KrakenErrors.TickSizeCheckFailed;
            }
            else
            {
                price2 = spec2.Value;
            }

            if (price2 <= 0m)
            {
                return KrakenErrors.InvalidArgument("price2");
            }
        }

        // What one unit is valued at: the limit where there is one, else the trigger, else the last trade.
        var reference = OrderTypes.BecomesLimit(request.OrderType) ? price2!.Value : price ?? last;
        prices = new ResolvedPrices(price, price2, reference);

        if (!request.Viqc && request.Volume < pair.OrderMin)
        {
            return KrakenErrors.OrderMinimumNotMet;
        }

        var cost = request.Viqc ? request.Volume : request.Volume * reference;
        return cost < pair.CostMin ? KrakenErrors.CostMinimumNotMet : null;
    }

    /// <summary>
    /// The account's side of an order: reduce-only (no positions exist here), the open-order cap per pair,
    /// cl_ord_id uniqueness among open orders, and funds. <paramref name="replacing"/> is the order an EditOrder
    /// replaces: its slot, id and hold count as free.
    /// </summary>
    public string? CheckAccount(PaperAccount account, OrderRequest request, ResolvedPrices prices, PaperOrder? replacing = null)
    {
        if (request.ReduceOnly)
        {
            return KrakenErrors.ReduceOnlyNoPosition;
        }

        if (EnforceRateLimits && request.OrderType != OrderTypes.Market
            && account.OpenOrders.Count(o => o.Pair == request.Pair && o != replacing) >= account.Tier.MaxOpenOrdersPerPair)
        {
            _statistics.OrdersLimitExceeded(account.ApiKey ?? account.Name);
            return KrakenErrors.OrdersLimitExceeded;
        }

        if (request.ClOrdId is { } clOrdId && account.OpenOrders.Any(o => o != replacing && o.ClOrdId == clOrdId))
        {
            return KrakenErrors.DuplicateOrder;
        }

        var (asset, needed) = Requirement(account, request, prices);
        var available = account.Available(asset) + (replacing is not null && replacing.HoldAsset == asset.Key ? replacing.Hold : 0m);
        return needed > available ? KrakenErrors.InsufficientFunds : null;
    }

    // ------------------------------------------------------------------ placing and matching

    /// <summary>Creates the order and, unless it is scheduled for later, puts it to work at once.</summary>
    public PaperOrder Place(PaperAccount account, OrderRequest request, ResolvedPrices prices, string? refId = null)
    {
        var order = Create(account, request, prices, refId);
        if (order.StartTime <= NowSeconds)
        {
            Activate(account, order);
        }

        return order;
    }

    /// <summary>
    /// Moves the market-dependent orders of every account: scheduled orders start, expired ones expire, stops fire
    /// when the last price reaches them, and resting limits fill when the best opposite price crosses them. Runs
    /// after every market step and before every private call.
    /// </summary>
    public void Sweep()
    {
        var nowSeconds = NowSeconds;
        foreach (var account in _accounts.All.ToArray())
        {
            foreach (var order in account.Orders.Where(o => o.IsOpen).ToArray())
            {
                if (!order.IsOpen)
                {
                    // Closed earlier in this pass (self-trade prevention, a conditional close...).
                    continue;
                }

                if (order.ExpireTime != 0 && nowSeconds >= order.ExpireTime)
                {
                    Finish(account, order, OrderStatus.Expired, null);
                }
                else if (order.Status == OrderStatus.Pending)
                {
                    if (order.StartTime <= nowSeconds)
                    {
                        Activate(account, order);
                    }
                }
                else if (order.AwaitingTrigger)
                {
                    if (TriggerReached(order))
                    {
                        Fire(order);
                        Take(account, order);
                    }
                }
                else if (order.EffectiveLimit is { } limit && Crosses(order.Side, limit, Book(order.Pair)))
                {
                    // The market came to the order: it fills whole, at its own price, as maker.
                    Fill(account, order, order.Remaining, order.Remaining * limit, maker: true);
                }
            }
        }

        AfterSweep?.Invoke();
    }

    /// <summary>Cancels an open order ("User requested" unless another reason is given).</summary>
    public void Cancel(PaperAccount account, PaperOrder order, string reason = "User requested") =>
        Finish(account, order, OrderStatus.Canceled, reason);

    /// <summary>
    /// Cancels every open order of the account (CancelAll, the dead man's switch). Each cancel adds its age penalty
    /// to its pair's trading counter, never refused (protocol.md §8.2: the 2023 docs count these as cancels).
    /// </summary>
    public int CancelAll(PaperAccount account, string reason)
    {
        var open = account.OpenOrders.ToArray();
        foreach (var order in open)
        {
            if (EnforceRateLimits)
            {
                account.TradingCounter(order.Pair).Charge(CancelPenalty(order));
            }

            Cancel(account, order, reason);
        }

        return open.Length;
    }

    /// <summary>
    /// AmendOrder: changes quantity, display quantity, limit or trigger price in place (same txid), and records the
    /// amend. Null on success with <paramref name="amendId"/> set, else Kraken's error.
    /// </summary>
    public string? Amend(PaperAccount account, PaperOrder order, decimal? quantity, decimal? displayQuantity, PriceSpec? limitSpec, PriceSpec? triggerSpec, bool postOnly, out string amendId)
    {
        amendId = string.Empty;
        var pair = order.Pair;
        if (quantity is null && displayQuantity is null && limitSpec is null && triggerSpec is null)
        {
            return KrakenErrors.InvalidArguments;
        }

        var limitField = order.OrderType is OrderTypes.Limit or OrderTypes.Iceberg ? "price"
            : OrderTypes.BecomesLimit(order.OrderType) && order.OrderType != OrderTypes.TrailingStopLimit ? "price2"
            : null;
        if (limitSpec is not null && limitField is null)
        {
            return KrakenErrors.InvalidArgument("limit_price");
        }

        if (triggerSpec is not null && (!order.AwaitingTrigger || OrderTypes.IsTrailing(order.OrderType)))
        {
            return KrakenErrors.InvalidArgument("trigger_price");
        }

        var last = Book(pair).LastPrice;
        decimal? newLimit = null;
        if (limitSpec is { } ls)
        {
            if (!ls.IsRelative && ls.Value % pair.TickSize != 0m)
            {
                return KrakenErrors.TickSizeCheckFailed;
            }

            newLimit = ls.IsRelative ? RoundToTick(pair, last + (Sign(ls.Prefix, order.Side == OrderSide.Buy ? -1 : 1) * Delta(ls, last))) : ls.Value;
        }

        decimal? newTrigger = null;
        if (triggerSpec is { } ts)
        {
            if (!ts.IsRelative && ts.Value % pair.TickSize != 0m)
            {
                return KrakenErrors.TickSizeCheckFailed;
            }

            newTrigger = ts.IsRelative ? RoundToTick(pair, last + (Sign(ts.Prefix, 1) * Delta(ts, last))) : ts.Value;
        }

        if (newLimit <= 0m || newTrigger <= 0m)
        {
            return KrakenErrors.InvalidArgument(newLimit <= 0m ? "limit_price" : "trigger_price");
        }

        var volume = quantity ?? order.Volume;
        if (volume < pair.OrderMin)
        {
            return KrakenErrors.OrderMinimumNotMet;
        }

        if (displayQuantity is { } dq && (order.OrderType != OrderTypes.Iceberg || dq * 15m < Math.Max(0m, volume - order.VolumeExecuted) || dq > volume))
        {
            return KrakenErrors.InvalidArgument("display_qty");
        }

        // The order's limit after the amend (the triggered limit for a fired *-limit order). A post-only amend, or
        // any price amend of a post-only order, must leave the order resting.
        var restingLimit = limitField == "price" ? newLimit ?? order.Price : order.Triggered ? newLimit ?? order.LimitPrice : order.EffectiveLimit;
        if ((postOnly || order.PostOnly) && restingLimit is { } rl && newLimit is not null && !order.AwaitingTrigger && Crosses(order.Side, rl, Book(pair)))
        {
            return KrakenErrors.PostOnlyOrder;
        }

        // Funds: the amended order's hold must fit in what is free plus what the order holds now.
        var holdPrice = limitField == "price" ? newLimit ?? order.Price!.Value
            : limitField == "price2" ? newLimit ?? order.Price2 ?? order.Price!.Value
            : newTrigger ?? order.Price ?? last;
        var newHoldPerUnit = HoldPerUnit(account, order.Request, holdPrice);
        var needed = Math.Max(0m, volume - order.VolumeExecuted) * newHoldPerUnit;
        var holdAsset = order.Side == OrderSide.Buy ? pair.Quote : pair.Base;
        if (needed > account.Available(holdAsset) + order.Hold)
        {
            return KrakenErrors.InsufficientFunds;
        }

        order.HoldPerUnit = newHoldPerUnit;
        if (newLimit is { } nl)
        {
            if (limitField == "price")
            {
                order.Price = nl;
            }
            else if (order.Triggered)
            {
                order.LimitPrice = nl;
            }
            else
            {
                order.Price2 = nl;
            }
        }

        if (newTrigger is { } nt)
        {
            order.Price = nt;
        }

        if (displayQuantity is { } display)
        {
            order.DisplayVolume = display;
        }

        order.RestingSince = _clock.GetUtcNow();
        if (!order.Misc.Contains("amended"))
        {
            order.Misc.Add("amended");
        }

        amendId = account.NewId('T');
        order.Volume = Math.Max(volume, order.VolumeExecuted);
        order.Amends.Add(AmendRecord(order, amendId, "user", null) with { PostOnly = postOnly });

        if (order.Remaining <= 0m)
        {
            // A quantity at or below what has executed cancels the rest: the order is done.
            Finish(account, order, OrderStatus.Closed, null);
        }
        else if (order.Status == OrderStatus.Open && !order.AwaitingTrigger && order.EffectiveLimit is { } limit && Crosses(order.Side, limit, Book(pair)))
        {
            Take(account, order);
        }
        else if (order.Status == OrderStatus.Open && order.AwaitingTrigger && TriggerReached(order))
        {
            Fire(order);
            Take(account, order);
        }

        return null;
    }

    /// <summary>Arms (or with 0 disarms) the dead man's switch of CancelAllOrdersAfter; answers the trigger time.</summary>
    public long ArmDeadManSwitch(PaperAccount account, int timeoutSeconds)
    {
        account.DeadManTimer?.Dispose();
        account.DeadManTimer = null;
        account.DeadManTriggerNs = 0;
        if (timeoutSeconds == 0)
        {
            return 0;
        }

        var holder = new TimerHolder();
        holder.Timer = _clock.CreateTimer(_ => OnTimer(holder), null, TimeSpan.FromSeconds(timeoutSeconds), Timeout.InfiniteTimeSpan);
        account.DeadManTimer = holder.Timer;
        account.DeadManTriggerNs = NowNs + (timeoutSeconds * NanosPerSecond);
        return account.DeadManTriggerNs;

        void OnTimer(TimerHolder fired)
        {
            lock (_market.Gate)
            {
                // A later call may have re-armed or disarmed the switch since this timer was set.
                if (!ReferenceEquals(account.DeadManTimer, fired.Timer))
                {
                    return;
                }

                account.DeadManTimer = null;
                account.DeadManTriggerNs = 0;
                fired.Timer?.Dispose();
                Sweep();
                CancelAll(account, "Dead man's switch");
            }
        }
    }

    /// <summary>The taker or maker fee, in percent, for the account's 30-day volume (the pair's fee tiers).</summary>
    public decimal FeePercent(PaperAccount account, PairDefinition pair, bool maker)
    {
        var volume = ThirtyDayVolume(account);
        var schedule = maker ? pair.FeesMaker : pair.Fees;
        var fee = schedule[0].Percent;
        foreach (var (threshold, percent) in schedule)
        {
            if (volume >= threshold)
            {
                fee = percent;
            }
        }

        return fee;
    }

    /// <summary>The account's traded value over the last 30 days, in USD (TradeVolume's "volume").</summary>
    public decimal ThirtyDayVolume(PaperAccount account)
    {
        var since = NowNs - ThirtyDaysNs;
        return account.Trades.Where(t => t.TimeNs > since).Sum(t => t.UsdValue);
    }

    /// <summary>Trading-counter penalty for cancelling an order of this age (protocol.md §8.2).</summary>
    public int CancelPenalty(PaperOrder order) => Age(order) switch
    {
        < 5 => 8,
        < 10 => 6,
        < 15 => 5,
        < 45 => 4,
        < 90 => 2,
        < 300 => 1,
        _ => 0,
    };

    /// <summary>Fixed plus age penalty of AmendOrder (protocol.md §8.2).</summary>
    public int AmendCost(PaperOrder order) => 1 + Age(order) switch
    {
        < 5 => 3,
        < 10 => 2,
        < 15 => 1,
        _ => 0,
    };

    /// <summary>Fixed plus age penalty of EditOrder (protocol.md §8.2).</summary>
    public int EditCost(PaperOrder order) => 1 + Age(order) switch
    {
        < 5 => 6,
        < 10 => 5,
        < 15 => 4,
        < 45 => 2,
        < 90 => 1,
        _ => 0,
    };

    public void Dispose()
    {
        foreach (var account in _accounts.All)
        {
            account.DeadManTimer?.Dispose();
            account.DeadManTimer = null;
        }
    }

    /// <summary>Rounds to the pair's tick size (half away from zero), as Kraken resolves relative prices.</summary>
    public static decimal RoundToTick(PairDefinition pair, decimal price) =>
        decimal.Round(price / pair.TickSize, 0, MidpointRounding.AwayFromZero) * pair.TickSize;

    /// <summary>Whether a limit at <paramref name="limit"/> would take liquidity from the book now.</summary>
    public static bool Crosses(OrderSide side, decimal limit, PairMarket market) => side == OrderSide.Buy
        ? market.Book.Asks.Count > 0 && limit >= market.Book.Asks[0].Price
        : market.Book.Bids.Count > 0 && limit <= market.Book.Bids[0].Price;

    // ------------------------------------------------------------------ internals

    private double Age(PaperOrder order) => (_clock.GetUtcNow() - order.RestingSince).TotalSeconds;

    private PaperOrder Create(PaperAccount account, OrderRequest request, ResolvedPrices prices, string? refId)
    {
        var pair = request.Pair;
        var order = new PaperOrder
        {
            Txid = account.NewId('O'),
            Request = request,
            Volume = request.Volume,
            Price = prices.Price,
            Price2 = prices.Price2,
            TrailOffset = OrderTypes.IsTrailing(request.OrderType) ? request.Price!.Value.Value : 0m,
            TrailPercent = OrderTypes.IsTrailing(request.OrderType) && request.Price!.Value.Percent,
            TrailExtreme = Book(pair).LastPrice,
            DisplayVolume = request.DisplayVolume,
            PostOnly = request.PostOnly,
            UserRef = request.UserRef,
            ClOrdId = request.ClOrdId,
            RefId = refId,
            OpenedNs = NowNs,
            StartTime = request.StartTime,
            ExpireTime = request.ExpireTime,
            RestingSince = _clock.GetUtcNow(),
            HoldAsset = request.Side == OrderSide.Buy ? pair.Quote.Key : pair.Base.Key,
            HoldPerUnit = request.Viqc ? 1m + (FeePercent(account, pair, maker: false) / 100m) : HoldPerUnit(account, request, prices.Reference),
            Status = OrderStatus.Pending,
        };
        order.Amends.Add(AmendRecord(order, account.NewId('T'), "original", null));
        account.Add(order);
        return order;
    }

    private void Activate(PaperAccount account, PaperOrder order)
    {
        order.Status = OrderStatus.Open;
        if (order.AwaitingTrigger)
        {
            if (!TriggerReached(order))
            {
                return;
            }

            Fire(order);
        }

        Take(account, order);
    }

    /// <summary>The order arrives at the book (or its trigger fired): take what crosses, then rest, cancel or finish.</summary>
    private void Take(PaperAccount account, PaperOrder order)
    {
        var market = Book(order.Pair);
        var limit = order.EffectiveLimit;
        if (limit is { } l && !Crosses(order.Side, l, market))
        {
            // Nothing to take: a GTC/GTD limit rests; IOC and FOK end here.
            if (order.Request.TimeInForce is "IOC" or "FOK")
            {
                Finish(account, order, OrderStatus.Canceled, order.Request.TimeInForce == "FOK" ? "Fill or kill" : "Immediate or cancel");
            }

            return;
        }

        if (order.PostOnly)
        {
            // Post-only would take liquidity: Kraken accepts the order and cancels it at once.
            Finish(account, order, OrderStatus.Canceled, "Post only order");
            return;
        }

        var execution = order.Request.Viqc
            ? WalkQuote(market, order.Remaining, order.Pair.LotDecimals)
            : Walk(market, order.Side, order.Remaining, limit);

        if (!PreventSelfTrade(account, order, execution))
        {
            return;
        }

        if (order.Request.TimeInForce == "FOK" && !order.Request.Viqc && execution.Volume < order.Remaining)
        {
            Finish(account, order, OrderStatus.Canceled, "Fill or kill");
            return;
        }

        if (execution.Volume > 0m)
        {
            if (!CanAfford(account, order, execution))
            {
                Finish(account, order, OrderStatus.Canceled, "Insufficient funds");
                return;
            }

            if (order.Request.Viqc)
            {
                // viqc: the volume asked for was quote currency; the order now shows the base it bought.
                order.Volume = execution.Volume;
            }

            Fill(account, order, execution.Volume, execution.Cost, maker: false);
        }

        if (order.IsOpen && order.Remaining > 0m && (limit is null || order.Request.TimeInForce is "IOC" or "FOK"))
        {
            Finish(account, order, OrderStatus.Canceled, limit is null ? "Insufficient liquidity" : "Immediate or cancel");
        }
    }

    /// <summary>
    /// Self-trade prevention: the key's own resting opposite orders that this execution would reach. stptype
    /// decides who goes: cancel-newest (default) the arriving order, cancel-oldest the resting ones, cancel-both
    /// all. False when the arriving order was cancelled.
    /// </summary>
    private bool PreventSelfTrade(PaperAccount account, PaperOrder order, Execution execution)
    {
        if (execution.Volume <= 0m)
        {
            return true;
        }

        var own = account.OpenOrders
            .Where(o => o != order && o.Pair == order.Pair && o.Side != order.Side && o.Status == OrderStatus.Open && !o.AwaitingTrigger)
            .Where(o => o.EffectiveLimit is { } p && (order.Side == OrderSide.Buy ? p <= execution.WorstPrice : p >= execution.WorstPrice))
            .ToArray();
        if (own.Length == 0)
        {
            return true;
        }

        var stp = order.Request.StpType;
        if (stp is "cancel-oldest" or "cancel-both")
        {
            foreach (var resting in own)
            {
                Finish(account, resting, OrderStatus.Canceled, "Self trade prevention");
            }
        }

        if (stp is "cancel-newest" or "cancel-both")
        {
            Finish(account, order, OrderStatus.Canceled, "Self trade prevention");
            return false;
        }

        return true;
    }

    /// <summary>Books one execution: a trade, two ledger entries (base and quote) with the fee, and the order's totals.</summary>
    private void Fill(PaperAccount account, PaperOrder order, decimal volume, decimal exactCost, bool maker)
    {
        var pair = order.Pair;
        var now = NowNs;

        // Amounts move in the quote asset's own precision, so every ledger balance is exact in its decimals.
        var quoteDecimals = Math.Min(pair.CostDecimals, pair.Quote.Decimals);
        var cost = decimal.Round(exactCost, quoteDecimals, MidpointRounding.AwayFromZero);
        var feeRate = FeePercent(account, pair, maker) / 100m;
        var feeQuote = decimal.Round(cost * feeRate, quoteDecimals, MidpointRounding.AwayFromZero);
        var feeInBase = order.Request.FeeInBase;
        var feeBase = feeInBase ? decimal.Round(volume * feeRate, pair.Base.Decimals, MidpointRounding.AwayFromZero) : 0m;

        var trade = new PaperTrade
        {
            Id = account.NewId('T'),
            OrderTxid = order.Txid,
            PositionTxid = account.PositionTxid,
            Pair = pair,
            Side = order.Side,
            OrderType = order.OrderType,
            Price = cost / volume,
            Cost = cost,
            Fee = feeQuote,
            Volume = volume,
            TimeNs = now,
            TradeId = _nextTradeId++,
            Maker = maker,
            UsdValue = _valuation.ValueIn(pair.Quote, cost, _usd),
        };

        var bought = order.Side == OrderSide.Buy;
        var quoteEntry = account.Post(trade.Id, now, "trade", string.Empty, pair.Quote, bought ? -cost : cost, feeInBase ? 0m : feeQuote);
        var baseEntry = account.Post(trade.Id, now, "trade", string.Empty, pair.Base, bought ? volume : -volume, feeBase);
        trade.LedgerIds.Add(quoteEntry.Id);
        trade.LedgerIds.Add(baseEntry.Id);
        account.Add(trade);

        order.VolumeExecuted += volume;
        order.Cost += cost;
        order.Fee += feeQuote;
        order.TradeIds.Add(trade.Id);
        if (order.Remaining <= 0m)
        {
            Finish(account, order, OrderStatus.Closed, null);
        }
    }

    /// <summary>Closes an order; an executed order with a conditional close now places it (api-reference appendix A).</summary>
    private void Finish(PaperAccount account, PaperOrder order, OrderStatus status, string? reason)
    {
        if (!order.IsOpen)
        {
            return;
        }

        order.Status = status;
        order.Reason = reason;
        order.ClosedNs = NowNs;
        if (order.Request.Close is { } close && order.VolumeExecuted > 0m)
        {
            PlaceConditionalClose(account, order, close);
        }
    }

    /// <summary>
    /// The conditional close: the opposite side, the executed volume, the close's type and prices, independent once
    /// placed. If the market or the account refuses it, it is recorded as cancelled with that error as its reason.
    /// </summary>
    private void PlaceConditionalClose(PaperAccount account, PaperOrder parent, CloseSpec close)
    {
        var pair = parent.Pair;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pair"] = pair.Key,
            ["type"] = parent.Side == OrderSide.Buy ? "sell" : "buy",
            ["ordertype"] = close.OrderType,
            ["volume"] = Json.KrakenNumber.Fixed(parent.VolumeExecuted, pair.LotDecimals),
        };
        if (close.Price is { } price)
        {
            values["price"] = price.Text;
        }

        if (close.Price2 is { } price2)
        {
            values["price2"] = price2.Text;
        }

        if (parent.UserRef is { } userRef)
        {
            values["userref"] = userRef.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!OrderRequestParser.TryParse(values, pair, NowSeconds, out var request, out var error))
        {
            return;
        }

        error = CheckMarketRules(request, out var prices) ?? CheckAccount(account, request, prices);
        if (error is null)
        {
            Place(account, request, prices, parent.Txid);
            return;
        }

        var refused = Create(account, request, prices, parent.Txid);
        refused.Status = OrderStatus.Canceled;
        refused.Reason = error[(error.IndexOf(':', StringComparison.Ordinal) + 1)..];
        refused.ClosedNs = NowNs;
    }

    private bool TriggerReached(PaperOrder order)
    {
        var last = Book(order.Pair).LastPrice;
        var buy = order.Side == OrderSide.Buy;
        if (OrderTypes.IsTrailing(order.OrderType))
        {
            // The trigger follows the best price since placement, at the order's offset behind it.
            order.TrailExtreme = buy ? Math.Min(order.TrailExtreme, last) : Math.Max(order.TrailExtreme, last);
            var offset = order.TrailPercent ? order.TrailExtreme * order.TrailOffset / 100m : order.TrailOffset;
            order.Price = RoundToTick(order.Pair, buy ? order.TrailExtreme + offset : order.TrailExtreme - offset);
        }

        var trigger = order.Price!.Value;
        return OrderTypes.IsTakeProfit(order.OrderType)
            ? (buy ? last <= trigger : last >= trigger)
            : (buy ? last >= trigger : last <= trigger);
    }

    /// <summary>The trigger fired: a stop becomes a market order, a *-limit a limit order at its limit.</summary>
    private static void Fire(PaperOrder order)
    {
        order.Triggered = true;
        order.StopPrice = order.Price!.Value;
        if (OrderTypes.BecomesLimit(order.OrderType))
        {
            if (order.OrderType == OrderTypes.TrailingStopLimit && order.Request.Price2 is { } spec)
            {
                var trigger = order.StopPrice;
                order.Price2 = RoundToTick(order.Pair, trigger + (Sign(spec.Prefix, order.Side == OrderSide.Buy ? 1 : -1) * Delta(spec, trigger)));
            }

            order.LimitPrice = order.Price2 ?? order.StopPrice;
        }

        order.Misc.Add(OrderTypes.IsTakeProfit(order.OrderType) ? "touched" : "stopped");
    }

    /// <summary>What the order needs, in which asset, to be placed now (its hold, or a market order's estimated cost).</summary>
    private (AssetDefinition Asset, decimal Amount) Requirement(PaperAccount account, OrderRequest request, ResolvedPrices prices)
    {
        var pair = request.Pair;
        var fee = 1m + (FeePercent(account, pair, maker: false) / 100m);
        if (request.Side == OrderSide.Sell)
        {
            return (pair.Base, request.Volume * (request.FeeInBase ? fee : 1m));
        }

        if (request.Viqc)
        {
            return (pair.Quote, request.Volume * fee);
        }

        var cost = request.OrderType == OrderTypes.Market
            ? Walk(Book(pair), OrderSide.Buy, request.Volume, null).Cost
            : request.Volume * prices.Reference;
        return (pair.Quote, cost * (request.FeeInBase ? 1m : fee));
    }

    /// <summary>What an open order holds per unit of remaining volume: base (plus a base fee) to sell, quote at its price plus the taker fee to buy.</summary>
    private decimal HoldPerUnit(PaperAccount account, OrderRequest request, decimal price)
    {
        var fee = 1m + (FeePercent(account, request.Pair, maker: false) / 100m);
        return request.Side == OrderSide.Sell
            ? (request.FeeInBase ? fee : 1m)
            : price * (request.FeeInBase ? 1m : fee);
    }

    private bool CanAfford(PaperAccount account, PaperOrder order, Execution execution)
    {
        var pair = order.Pair;
        var fee = 1m + (FeePercent(account, pair, maker: false) / 100m);
        var feeInBase = order.Request.FeeInBase;
        var (asset, needed) = order.Side == OrderSide.Buy
            ? (pair.Quote, execution.Cost * (feeInBase ? 1m : fee))
            : (pair.Base, execution.Volume * (feeInBase ? fee : 1m));
        return needed <= account.Available(asset) + order.Hold;
    }

    /// <summary>
    /// Walks the opposite side of the book for <paramref name="volume"/>, up to <paramref name="limit"/>. A market
    /// order is never left half done by the emulator's finite book: what the listed levels cannot fill fills at
    /// the farthest level's price.
    /// </summary>
    private static Execution Walk(PairMarket market, OrderSide side, decimal volume, decimal? limit)
    {
        var levels = side == OrderSide.Buy ? market.Book.Asks : market.Book.Bids;
        decimal filled = 0m, cost = 0m, worst = 0m;
        foreach (var level in levels)
        {
            if (filled >= volume || (limit is { } l && (side == OrderSide.Buy ? level.Price > l : level.Price < l)))
            {
                break;
            }

            var take = Math.Min(level.Volume, volume - filled);
            filled += take;
            cost += take * level.Price;
            worst = level.Price;
        }

        if (limit is null && filled < volume && levels.Count > 0)
        {
            worst = levels[^1].Price;
            cost += (volume - filled) * worst;
            filled = volume;
        }

        return new Execution(filled, cost, worst);
    }

    /// <summary>viqc: spends a quote amount on the asks, buying whole lots (lot_decimals) at each level.</summary>
    private static Execution WalkQuote(PairMarket market, decimal budget, int lotDecimals)
    {
        decimal filled = 0m, cost = 0m, worst = 0m;
        foreach (var level in market.Book.Asks)
        {
            var affordable = decimal.Round((budget - cost) / level.Price, lotDecimals, MidpointRounding.ToZero);
            var take = Math.Min(level.Volume, affordable);
            if (take <= 0m)
            {
                break;
            }

            filled += take;
            cost += take * level.Price;
            worst = level.Price;
        }

        return new Execution(filled, cost, worst);
    }

    private OrderAmend AmendRecord(PaperOrder order, string amendId, string type, string? reason) => new(
        amendId,
        type,
        order.Volume,
        order.DisplayVolume,
        order.Remaining,
        order.OrderType is OrderTypes.Limit or OrderTypes.Iceberg ? order.Price : order.Triggered ? order.EffectiveLimit : order.Price2,
        OrderTypes.IsTriggered(order.OrderType) ? order.Price : null,
        reason,
        order.PostOnly,
        NowNs);

    /// <summary>'#' resolves to the direction that keeps the order from executing at once: below the market for a buy limit or take-profit, above it for a buy stop.</summary>
    private static int PrimaryHashSign(OrderRequest request)
    {
        var awayForBuy = request.OrderType is OrderTypes.StopLoss or OrderTypes.StopLossLimit ? 1 : -1;
        return request.Side == OrderSide.Buy ? awayForBuy : -awayForBuy;
    }

    private static int Sign(char prefix, int hashSign) => prefix switch
    {
        '+' => 1,
        '-' => -1,
        _ => hashSign,
    };

    private static decimal Delta(PriceSpec spec, decimal reference) => spec.Percent ? reference * spec.Value / 100m : spec.Value;

    /// <summary>Lets the dead man's switch's callback know which timer it is.</summary>
    private sealed class TimerHolder
    {
        public ITimer? Timer { get; set; }
    }
}
