using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Endpoints;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator;

/// <summary>
/// The paper accounts, for tests: read an account's state without going through HTTP (snapshots, taken under the
/// market's gate so they are consistent), and move money in or out as a deposit or withdrawal would.
/// </summary>
public sealed class EmulatedAccounts
{
    private readonly EmulatedMarket _market;
    private readonly AccountRegistry _registry;
    private readonly MatchingEngine _engine;

    internal EmulatedAccounts(EmulatedMarket market, AccountRegistry registry, MatchingEngine engine)
    {
        _market = market;
        _registry = registry;
        _engine = engine;
    }

    /// <summary>The API keys of the accounts.</summary>
    public IReadOnlyList<string> ApiKeys => _registry.ApiKeys;

    /// <summary>The state of the account of <paramref name="apiKey"/> now.</summary>
    public PaperAccountSnapshot this[string apiKey] => Get(apiKey);

    /// <summary>The state of the account of <paramref name="apiKey"/> now (after letting due orders start, expire, fire and fill).</summary>
    /// <exception cref="KeyNotFoundException">No account has this key.</exception>
    public PaperAccountSnapshot Get(string apiKey)
    {
        lock (_market.Gate)
        {
            _engine.Sweep();
            return Snapshot(Find(apiKey));
        }
    }

    /// <summary>Credits <paramref name="amount"/> of <paramref name="asset"/> as a deposit ledger entry.</summary>
    public void Deposit(string apiKey, string asset, decimal amount) => Move(apiKey, asset, amount, "deposit");

    /// <summary>Debits <paramref name="amount"/> of <paramref name="asset"/> as a withdrawal ledger entry.</summary>
    /// <exception cref="InvalidOperationException">Less than that is available (held amounts excluded).</exception>
    public void Withdraw(string apiKey, string asset, decimal amount) => Move(apiKey, asset, -amount, "withdrawal");

    private void Move(string apiKey, string assetName, decimal amount, string type)
    {
        if (!_market.Catalogue.TryFindAsset(assetName, out var asset))
        {
            throw new ArgumentException($"Unknown asset '{assetName}'.", nameof(assetName));
        }

        lock (_market.Gate)
        {
            var account = Find(apiKey);
            if (amount < 0m && account.Available(asset) < -amount)
            {
                throw new InvalidOperationException($"Only {account.Available(asset)} {asset.Key} is available.");
            }

            account.Post(account.NewId(type == "deposit" ? 'Q' : 'A'), _engine.NowNs, type, string.Empty, asset, amount, 0m);
        }
    }

    private PaperAccount Find(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return _registry.Find(apiKey) ?? throw new KeyNotFoundException($"No emulated account has the API key '{apiKey}'.");
    }

    private static PaperAccountSnapshot Snapshot(PaperAccount account) => new(
        account.ApiKey ?? string.Empty,
        account.Iiban,
        account.Tier.Name,
        account.Assets.ToDictionary(a => a.Key, account.Balance, StringComparer.Ordinal),
        account.Assets.ToDictionary(a => a.Key, account.Held, StringComparer.Ordinal),
        account.Orders.Where(o => o.IsOpen).Select(Snapshot).ToArray(),
        account.Orders.Where(o => !o.IsOpen).Select(Snapshot).ToArray(),
        account.Trades.Select(t => new PaperTradeSnapshot(
            t.Id,
            t.OrderTxid,
            t.Pair.Key,
            t.Side == OrderSide.Buy ? "buy" : "sell",
            t.OrderType,
            t.Price,
            t.Volume,
            t.Cost,
            t.Fee,
            t.Maker,
            Time(t.TimeNs),
            t.LedgerIds.ToArray())).ToArray(),
        account.Ledger.Select(e => new PaperLedgerSnapshot(e.Id, e.RefId, e.Type, e.Asset.Key, e.Amount, e.Fee, e.Balance, Time(e.TimeNs))).ToArray(),
        account.Subaccounts.Select(s => new PaperSubaccountSnapshot(
            s.Name,
            s.Iiban,
            s.Assets.ToDictionary(a => a.Key, s.Balance, StringComparer.Ordinal))).ToArray(),
        account.Nonces.Highest);

    private static PaperOrderSnapshot Snapshot(PaperOrder order) => new(
        order.Txid,
        order.Pair.Key,
        order.Side == OrderSide.Buy ? "buy" : "sell",
        order.OrderType,
        PrivateJson.StatusText(order.Status),
        order.Reason,
        order.Volume,
        order.VolumeExecuted,
        order.Price,
        order.Price2,
        order.Cost,
        order.Fee,
        order.UserRef,
        order.ClOrdId,
        order.RefId,
        Time(order.OpenedNs),
        order.IsOpen ? null : Time(order.ClosedNs),
        order.TradeIds.ToArray(),
        order.Amends.Count - 1);

    private static DateTimeOffset Time(long unixNanoseconds) => DateTimeOffset.UnixEpoch.AddTicks(unixNanoseconds / 100);
}

/// <summary>A paper account at one moment.</summary>
/// <param name="ApiKey">The account's API key.</param>
/// <param name="Iiban">Its IIBAN (AccountTransfer's from/to).</param>
/// <param name="Tier">Starter, Intermediate or Pro.</param>
/// <param name="Balances">Balance by asset id ("XXBT", "ZUSD"), including amounts held by open orders.</param>
/// <param name="Holds">What open orders hold, by asset id.</param>
/// <param name="OpenOrders">Open and pending (scheduled) orders, oldest first.</param>
/// <param name="ClosedOrders">Closed, cancelled and expired orders, oldest first.</param>
/// <param name="Trades">Executions, oldest first.</param>
/// <param name="Ledger">Ledger entries, oldest first.</param>
/// <param name="Subaccounts">Subaccounts made with CreateSubaccount.</param>
/// <param name="HighestNonce">The highest nonce accepted from this key.</param>
public sealed record PaperAccountSnapshot(
    string ApiKey,
    string Iiban,
    string Tier,
    IReadOnlyDictionary<string, decimal> Balances,
    IReadOnlyDictionary<string, decimal> Holds,
    IReadOnlyList<PaperOrderSnapshot> OpenOrders,
    IReadOnlyList<PaperOrderSnapshot> ClosedOrders,
    IReadOnlyList<PaperTradeSnapshot> Trades,
    IReadOnlyList<PaperLedgerSnapshot> Ledger,
    IReadOnlyList<PaperSubaccountSnapshot> Subaccounts,
    ulong HighestNonce)
{
    /// <summary>The balance of an asset id ("XXBT"); 0 when the account never held it.</summary>
    public decimal Balance(string asset) => Balances.GetValueOrDefault(asset);

    /// <summary>Balance less holds.</summary>
    public decimal Available(string asset) => Balances.GetValueOrDefault(asset) - Holds.GetValueOrDefault(asset);

    /// <summary>Any order (open or closed) by txid, or null.</summary>
    public PaperOrderSnapshot? Order(string txid) =>
        OpenOrders.FirstOrDefault(o => o.Txid == txid) ?? ClosedOrders.FirstOrDefault(o => o.Txid == txid);
}

/// <summary>One order at one moment.</summary>
/// <param name="Txid">Kraken-style order id.</param>
/// <param name="Pair">Pair key ("XXBTZUSD").</param>
/// <param name="Side">buy or sell.</param>
/// <param name="OrderType">Kraken's order type.</param>
/// <param name="Status">pending, open, closed, canceled or expired.</param>
/// <param name="Reason">Why it closed, when cancelled ("User requested", "Post only order"...).</param>
/// <param name="Volume">Ordered base volume.</param>
/// <param name="VolumeExecuted">Executed base volume.</param>
/// <param name="Price">Limit or trigger price (absolute).</param>
/// <param name="Price2">Secondary (limit) price of *-limit types.</param>
/// <param name="Cost">Executed cost in quote.</param>
/// <param name="Fee">Fees in quote terms.</param>
/// <param name="UserRef">userref, if given.</param>
/// <param name="ClOrdId">cl_ord_id, if given.</param>
/// <param name="RefId">The parent order of a conditional close.</param>
/// <param name="OpenedAt">Submission time (market clock).</param>
/// <param name="ClosedAt">Close time, when closed.</param>
/// <param name="TradeIds">Its trades.</param>
/// <param name="AmendCount">How many AmendOrder calls changed it.</param>
public sealed record PaperOrderSnapshot(
    string Txid,
    string Pair,
    string Side,
    string OrderType,
    string Status,
    string? Reason,
    decimal Volume,
    decimal VolumeExecuted,
    decimal? Price,
    decimal? Price2,
    decimal Cost,
    decimal Fee,
    int? UserRef,
    string? ClOrdId,
    string? RefId,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<string> TradeIds,
    int AmendCount);

/// <summary>One execution.</summary>
/// <param name="TradeId">Kraken-style trade id.</param>
/// <param name="OrderTxid">The order it belongs to.</param>
/// <param name="Pair">Pair key.</param>
/// <param name="Side">buy or sell.</param>
/// <param name="OrderType">The order's type.</param>
/// <param name="Price">Average price.</param>
/// <param name="Volume">Base volume.</param>
/// <param name="Cost">Quote cost.</param>
/// <param name="Fee">Fee in quote terms.</param>
/// <param name="Maker">Whether the order was resting (maker fee).</param>
/// <param name="Time">Execution time (market clock).</param>
/// <param name="LedgerIds">The two ledger entries it booked.</param>
public sealed record PaperTradeSnapshot(
    string TradeId,
    string OrderTxid,
    string Pair,
    string Side,
    string OrderType,
    decimal Price,
    decimal Volume,
    decimal Cost,
    decimal Fee,
    bool Maker,
    DateTimeOffset Time,
    IReadOnlyList<string> LedgerIds);

/// <summary>One ledger entry.</summary>
/// <param name="LedgerId">Kraken-style ledger id.</param>
/// <param name="RefId">The trade, deposit or transfer behind it.</param>
/// <param name="Type">trade, deposit, withdrawal, transfer.</param>
/// <param name="Asset">Asset id.</param>
/// <param name="Amount">Signed amount before the fee.</param>
/// <param name="Fee">Fee in this asset.</param>
/// <param name="Balance">Balance after the entry.</param>
/// <param name="Time">Booking time (market clock).</param>
public sealed record PaperLedgerSnapshot(string LedgerId, string RefId, string Type, string Asset, decimal Amount, decimal Fee, decimal Balance, DateTimeOffset Time);

/// <summary>A subaccount: its username, IIBAN and balances.</summary>
/// <param name="Username">The username given to CreateSubaccount.</param>
/// <param name="Iiban">Its IIBAN.</param>
/// <param name="Balances">Balance by asset id.</param>
public sealed record PaperSubaccountSnapshot(string Username, string Iiban, IReadOnlyDictionary<string, decimal> Balances);
