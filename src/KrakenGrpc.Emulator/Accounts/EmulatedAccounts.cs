using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Earn;
using KrakenGrpc.Emulator.Endpoints;
using KrakenGrpc.Emulator.Funding;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator;

/// <summary>
/// The paper accounts, for tests: read an account's state without going through HTTP (snapshots, taken under the
/// market's gate so they are consistent: balances, orders, ledger, deposits, withdrawals, transfers, Earn
/// allocations, Fast API keys), and move money in or out as a deposit or withdrawal would.
/// </summary>
public sealed class EmulatedAccounts
{
    private readonly EmulatedMarket _market;
    private readonly AccountRegistry _registry;
    private readonly MatchingEngine _engine;
    private readonly FundingBook _funding;
    private readonly EarnBook _earn;

    internal EmulatedAccounts(EmulatedMarket market, AccountRegistry registry, MatchingEngine engine, FundingBook funding, EarnBook earn)
    {
        _market = market;
        _registry = registry;
        _engine = engine;
        _funding = funding;
        _earn = earn;
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

    /// <summary>
    /// Credits <paramref name="amount"/> of <paramref name="asset"/> as a completed deposit by the asset's first
    /// deposit method: a deposit ledger entry, and an entry in DepositStatus with the same refid.
    /// </summary>
    /// <returns>The deposit's refid.</returns>
    public string Deposit(string apiKey, string asset, decimal amount) => Deposit(apiKey, asset, amount, null);

    /// <summary>Credits a completed deposit made by <paramref name="method"/> (a DepositMethods name, e.g. "Bitcoin Lightning").</summary>
    /// <returns>The deposit's refid.</returns>
    /// <exception cref="ArgumentException">Unknown asset or method, or an amount that is not positive.</exception>
    public string Deposit(string apiKey, string asset, decimal amount, string? method)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (!_market.Catalogue.TryFindAsset(asset ?? string.Empty, out var definition))
        {
            throw new ArgumentException($"Unknown asset '{asset}'.", nameof(asset));
        }

        DepositMethodDefinition? chosen = null;
        if (method is not null && (chosen = _funding.Catalogue.FindDepositMethod(definition, method)) is null)
        {
            throw new ArgumentException($"{definition.Key} has no deposit method '{method}'.", nameof(method));
        }

        lock (_market.Gate)
        {
            return _funding.Deposit(Find(apiKey), definition, amount, chosen, _engine.NowNs).RefId;
        }
    }

    /// <summary>
    /// Debits <paramref name="amount"/> of <paramref name="asset"/> as a bare withdrawal ledger entry (money leaving by
    /// other means: no withdrawal key, no WithdrawStatus entry; the Withdraw endpoint makes those).
    /// </summary>
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

    private PaperAccountSnapshot Snapshot(PaperAccount account) => new(
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
        account.Nonces.Highest)
    {
        Email = account.Email ?? string.Empty,
        Deposits = account.Deposits.Select(d => new FundingDepositSnapshot(d.RefId, d.Asset.Key, d.Method.Method, d.Amount, d.Fee, d.Info, d.TxId, FundingDeposit.Status, Time(d.TimeNs))).ToArray(),
        Withdrawals = account.Withdrawals.Where(w => w.Kind == WithdrawalKind.Withdrawal).Select(Snapshot).ToArray(),
        WalletTransfers = account.Withdrawals.Where(w => w.Kind == WithdrawalKind.WalletTransfer).Select(Snapshot).ToArray(),
        EarnAllocations = account.EarnPositions.Select(p => new EarnAllocationSnapshot(
            p.Strategy.Id,
            p.Strategy.Asset.Key,
            p.Total,
            p.Bonding(_earn.Now).Sum(l => l.Amount),
            p.Unbonding.Sum(l => l.Amount),
            p.LastAllocation is { Completed: false },
            p.LastDeallocation is { Completed: false },
            p.LastAllocation?.Error ?? p.LastDeallocation?.Error)).ToArray(),
        FastApiKeys = account.FastApiKeys.Select(k => new FastApiKeySnapshot(
            k.Key,
            k.Name,
            k.Id,
            k.OAuthClient,
            k.Nonces.Window,
            k.Nonces.Highest,
            k.PermissionNames.ToArray(),
            DateTimeOffset.FromUnixTimeSeconds(k.CreatedSeconds),
            k.LastUsedSeconds is { } used ? DateTimeOffset.FromUnixTimeSeconds(used) : null,
            k.ValidUntil > 0 ? DateTimeOffset.FromUnixTimeSeconds(k.ValidUntil) : null)).ToArray(),
    };

    private FundingWithdrawalSnapshot Snapshot(FundingWithdrawal withdrawal)
    {
        var now = _engine.Clock.GetUtcNow();
        return new FundingWithdrawalSnapshot(
            withdrawal.RefId,
            withdrawal.Asset.Key,
            withdrawal.Method,
            withdrawal.Key,
            withdrawal.Info,
            withdrawal.Amount,
            withdrawal.Fee,
            withdrawal.Status(now),
            withdrawal.StatusProp,
            Time(withdrawal.TimeNs));
    }

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
    /// <summary>The account holder's e-mail (what <c>/oauth/userinfo</c> answers).</summary>
    public string Email { get; init; } = string.Empty;

    /// <summary>Deposits (starting balances, <see cref="EmulatedAccounts.Deposit(string, string, decimal)"/>), oldest first.</summary>
    public IReadOnlyList<FundingDepositSnapshot> Deposits { get; init; } = [];

    /// <summary>Withdrawals made with the Withdraw endpoint, oldest first, with their status now.</summary>
    public IReadOnlyList<FundingWithdrawalSnapshot> Withdrawals { get; init; } = [];

    /// <summary>WalletTransfers to the Futures wallet, oldest first, with their status now.</summary>
    public IReadOnlyList<FundingWithdrawalSnapshot> WalletTransfers { get; init; } = [];

    /// <summary>Earn positions (one per strategy the account allocated to, or tried to), in the order they began.</summary>
    public IReadOnlyList<EarnAllocationSnapshot> EarnAllocations { get; init; } = [];

    /// <summary>Fast API keys created over OAuth (never their secrets), oldest first.</summary>
    public IReadOnlyList<FastApiKeySnapshot> FastApiKeys { get; init; } = [];

    /// <summary>The Earn position in a strategy, or null.</summary>
    public EarnAllocationSnapshot? EarnAllocation(string strategyId) => EarnAllocations.FirstOrDefault(a => a.StrategyId == strategyId);

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

/// <summary>One deposit, as DepositStatus lists it.</summary>
/// <param name="RefId">Funding reference id (also the ledger entry's refid).</param>
/// <param name="Asset">Asset id ("XXBT").</param>
/// <param name="Method">Deposit method ("Bitcoin").</param>
/// <param name="Amount">Amount credited.</param>
/// <param name="Fee">Deposit fee.</param>
/// <param name="Info">The address (or bank account) it arrived at.</param>
/// <param name="TxId">The network's transaction id.</param>
/// <param name="Status">"Success": the emulator's deposits arrive complete.</param>
/// <param name="Time">When it arrived (market clock).</param>
public sealed record FundingDepositSnapshot(string RefId, string Asset, string Method, decimal Amount, decimal Fee, string Info, string TxId, string Status, DateTimeOffset Time);

/// <summary>One withdrawal or WalletTransfer, as WithdrawStatus lists it.</summary>
/// <param name="RefId">Funding reference id (Withdraw's / WalletTransfer's answer, the ledger entry's refid).</param>
/// <param name="Asset">Asset id ("XXBT").</param>
/// <param name="Method">Withdrawal method ("Bitcoin"; "Futures Wallet" for a transfer).</param>
/// <param name="Key">The withdrawal key; null for a transfer.</param>
/// <param name="Info">Destination address (or "Futures Wallet").</param>
/// <param name="Amount">What arrives: the amount asked for less the fee.</param>
/// <param name="Fee">The fee.</param>
/// <param name="Status">Pending, Success, or Failure once cancelled.</param>
/// <param name="StatusProp">"canceled" once cancelled, else null.</param>
/// <param name="Time">When it was requested (market clock).</param>
public sealed record FundingWithdrawalSnapshot(string RefId, string Asset, string Method, string? Key, string Info, decimal Amount, decimal Fee, string Status, string? StatusProp, DateTimeOffset Time);

/// <summary>An Earn position.</summary>
/// <param name="StrategyId">The strategy.</param>
/// <param name="Asset">Asset id ("DOT").</param>
/// <param name="Total">Everything in the strategy: bonding, active and unbonding.</param>
/// <param name="Bonding">The part still bonding.</param>
/// <param name="Unbonding">The part on its way back to the spot balance.</param>
/// <param name="AllocationPending">An Allocate is in progress.</param>
/// <param name="DeallocationPending">A Deallocate is in progress.</param>
/// <param name="LastError">The error of the latest failed operation (what the status endpoint answers), or null.</param>
public sealed record EarnAllocationSnapshot(string StrategyId, string Asset, decimal Total, decimal Bonding, decimal Unbonding, bool AllocationPending, bool DeallocationPending, string? LastError);

/// <summary>A Fast API key (its secret is never kept in a snapshot).</summary>
/// <param name="ApiKey">The API-Key header value.</param>
/// <param name="Name">api_key_name.</param>
/// <param name="Id">Kraken's id of the key.</param>
/// <param name="OAuthClient">The client that created it.</param>
/// <param name="NonceWindow">Its nonce window.</param>
/// <param name="HighestNonce">The highest nonce it signed with.</param>
/// <param name="Permissions">Kraken's permission names it has ("query-funds"...).</param>
/// <param name="Created">Creation time.</param>
/// <param name="LastUsed">Last authenticated call, or null.</param>
/// <param name="ValidUntil">Expiry, or null for none.</param>
public sealed record FastApiKeySnapshot(string ApiKey, string Name, string Id, string OAuthClient, long NonceWindow, ulong HighestNonce, IReadOnlyList<string> Permissions, DateTimeOffset Created, DateTimeOffset? LastUsed, DateTimeOffset? ValidUntil);
