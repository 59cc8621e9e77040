using System.Globalization;
using KrakenGrpc.Emulator.Auth;
using KrakenGrpc.Emulator.Earn;
using KrakenGrpc.Emulator.Funding;
using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Accounts;

/// <summary>
/// One paper account: balances, ledger, orders, trades, order amends, exports, funding (deposits, addresses,
/// withdrawal keys, withdrawals), Earn positions, and (for a keyed account) its API keys with their nonce and rate
/// counters. Holds are not stored: they are the sum of what the open orders hold, so they can never drift from the
/// orders. Not thread-safe: every access happens under the emulator's gate.
/// </summary>
internal sealed class PaperAccount
{
    private readonly Dictionary<string, decimal> _balances = new(StringComparer.Ordinal);
    private readonly List<AssetDefinition> _assetOrder = [];
    private readonly Dictionary<string, LedgerEntry> _ledgerById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaperOrder> _ordersById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaperTrade> _tradesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DecayingCounter> _tradingCounters = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly ulong _idScope;
    private ulong _idSequence;

    public PaperAccount(string name, string? apiKey, byte[]? secret, TierLimits tier, long nonceWindow, TimeProvider clock, long createdSeconds)
    {
        Name = name;
        ApiKey = apiKey;
        Secret = secret;
        Tier = tier;
        _clock = clock;
        _idScope = KrakenIds.Scope(apiKey ?? "subaccount:" + name);
        Nonces = new NonceTracker(nonceWindow);
        RestCounter = new DecayingCounter(tier.RestMaximum, tier.RestDecayPerSecond, clock);
        Iiban = MakeIiban(_idScope);
        PositionTxid = KrakenIds.Make('T', _idScope, 0);
        CreatedSeconds = createdSeconds;
        Credential = apiKey is null || secret is null
            ? null
            : new ApiCredential(this, apiKey, secret, name, Nonces, RestCounter, createdSeconds);
    }

    public string Name { get; }

    /// <summary>The API key; null for a subaccount, which has no key of its own here.</summary>
    public string? ApiKey { get; }

    public byte[]? Secret { get; }

    public TierLimits Tier { get; }

    public NonceTracker Nonces { get; }

    public DecayingCounter RestCounter { get; }

    /// <summary>The account's IIBAN ("AA88 N84G WOAK NMOI"), used by AccountTransfer and GetApiKeyInfo.</summary>
    public string Iiban { get; }

    /// <summary>Kraken gives spot trades a position txid too; one per account is enough.</summary>
    public string PositionTxid { get; }

    public long CreatedSeconds { get; }

    /// <summary>The account's configured API key (sharing <see cref="Nonces"/> and <see cref="RestCounter"/>); null for a subaccount.</summary>
    public ApiCredential? Credential { get; }

    /// <summary>Fast API keys made over OAuth, oldest first.</summary>
    public List<FastApiKey> FastApiKeys { get; } = [];

    /// <summary>A stable 64-bit value of this account, from which its deposit addresses are derived.</summary>
    public ulong IdScope => _idScope;

    /// <summary>Deposits, oldest first (DepositStatus lists them newest first).</summary>
    public List<FundingDeposit> Deposits { get; } = [];

    /// <summary>Deposit addresses in the order they were made.</summary>
    public List<DepositAddress> DepositAddresses { get; } = [];

    public List<WithdrawalKey> WithdrawalKeys { get; } = [];

    /// <summary>Withdrawals and WalletTransfers, oldest first.</summary>
    public List<FundingWithdrawal> Withdrawals { get; } = [];

    /// <summary>Earn positions, one per strategy ever allocated to (or tried), in the order they began.</summary>
    public List<EarnPosition> EarnPositions { get; } = [];

    public Dictionary<string, decimal> CreditLimits { get; } = new(StringComparer.Ordinal);

    public PaperAccount? Master { get; init; }

    public List<PaperAccount> Subaccounts { get; } = [];

    /// <summary>Subaccount username (CreateSubaccount) or the key's name.</summary>
    public string? Email { get; init; }

    public List<LedgerEntry> Ledger { get; } = [];

    /// <summary>Orders in submission order.</summary>
    public List<PaperOrder> Orders { get; } = [];

    public List<PaperTrade> Trades { get; } = [];

    public List<ExportReport> Exports { get; } = [];

    /// <summary>The dead man's switch (CancelAllOrdersAfter), when armed.</summary>
    public ITimer? DeadManTimer { get; set; }

    public long DeadManTriggerNs { get; set; }

    /// <summary>Assets the account has held, in the order they first appeared (Balance lists them so).</summary>
    public IReadOnlyList<AssetDefinition> Assets => _assetOrder;

    public IEnumerable<PaperOrder> OpenOrders => Orders.Where(o => o.IsOpen);

    public decimal Balance(AssetDefinition asset) => _balances.GetValueOrDefault(asset.Key);

    public decimal Credit(AssetDefinition asset) => CreditLimits.GetValueOrDefault(asset.Key);

    /// <summary>What open orders hold of <paramref name="asset"/>.</summary>
    public decimal Held(AssetDefinition asset) => Orders.Where(o => o.IsOpen && o.HoldAsset == asset.Key).Sum(o => o.Hold);

    /// <summary>What can be committed to a new order: balance plus credit, less what open orders hold.</summary>
    public decimal Available(AssetDefinition asset) => Balance(asset) + Credit(asset) - Held(asset);

    /// <summary>A new Kraken-style id of this account: 'O' orders, 'T' trades, 'L' ledger entries...</summary>
    public string NewId(char type) => KrakenIds.Make(type, _idScope, ++_idSequence);

    /// <summary>A new funding reference id (deposits, withdrawals, transfers: "FTQcuak-V6Za8qrWnhzTx67yYHz8Tg").</summary>
    public string NewFundingRefId() => FundingIds.RefId(_idScope, ++_idSequence);

    /// <summary>What funding may take of <paramref name="asset"/>: the balance less open orders' holds (credit is not withdrawable).</summary>
    public decimal Withdrawable(AssetDefinition asset) => Balance(asset) - Held(asset);

    /// <summary>A report id of four capital letters (AddExport: "TCJA").</summary>
    public string NewReportId()
    {
        while (true)
        {
            var id = NewId('R').Substring(1, 4);
            if (id.All(char.IsAsciiLetterUpper) && Exports.All(e => e.Id != id))
            {
                return id;
            }
        }
    }

    public DecayingCounter TradingCounter(PairDefinition pair)
    {
        if (!_tradingCounters.TryGetValue(pair.Key, out var counter))
        {
            counter = new DecayingCounter(Tier.TradingThreshold, Tier.TradingDecayPerSecond, _clock);
            _tradingCounters[pair.Key] = counter;
        }

        return counter;
    }

    /// <summary>Makes an asset appear in Balance even at zero (a configured starting balance of 0).</summary>
    public void Touch(AssetDefinition asset)
    {
        if (!_balances.ContainsKey(asset.Key))
        {
            _balances[asset.Key] = 0m;
            _assetOrder.Add(asset);
        }
    }

    /// <summary>
    /// Books one ledger entry: the balance moves by <paramref name="amount"/> less <paramref name="fee"/>, and the
    /// entry records the balance after it, as Kraken's ledger does.
    /// </summary>
    public LedgerEntry Post(string refId, long timeNs, string type, string subtype, AssetDefinition asset, decimal amount, decimal fee)
    {
        Touch(asset);
        var balance = _balances[asset.Key] + amount - fee;
        _balances[asset.Key] = balance;
        var entry = new LedgerEntry(NewId('L'), refId, timeNs, type, subtype, asset, amount, fee, balance);
        Ledger.Add(entry);
        _ledgerById[entry.Id] = entry;
        return entry;
    }

    public void Add(PaperOrder order)
    {
        Orders.Add(order);
        _ordersById[order.Txid] = order;
    }

    public void Add(PaperTrade trade)
    {
        Trades.Add(trade);
        _tradesById[trade.Id] = trade;
    }

    public PaperOrder? FindOrder(string txid) => _ordersById.GetValueOrDefault(txid.Trim());

    public PaperTrade? FindTrade(string id) => _tradesById.GetValueOrDefault(id.Trim());

    public LedgerEntry? FindLedger(string id) => _ledgerById.GetValueOrDefault(id.Trim());

    /// <summary>
    /// An IIBAN in Kraken's shape: two letters, two digits, then three groups of four letters and digits, derived
    /// from the account's id scope so it is stable for a key.
    /// </summary>
    private static string MakeIiban(ulong scope)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var text = new System.Text.StringBuilder("AA");
        text.Append((10 + (int)(scope % 90)).ToString(CultureInfo.InvariantCulture));
        var bits = scope;
        for (var i = 0; i < 12; i++)
        {
            if (i % 4 == 0)
            {
                text.Append(' ');
            }

            text.Append(alphabet[(int)(bits % 36)]);
            bits = (bits / 36) ^ (scope >> (i + 1));
        }

        return text.ToString();
    }
}
