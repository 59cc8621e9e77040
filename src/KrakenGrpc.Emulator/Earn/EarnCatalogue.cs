using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Earn;

/// <summary>Kraken's Earn lock types the emulator offers ("timed" is documented but never described, so not offered).</summary>
internal enum EarnLockType
{
    Flex,
    Bonded,
    Instant,
}

/// <summary>
/// One Earn strategy as Earn/Strategies describes it. Periods are in seconds, as Kraken writes them; APRs are
/// percentages.
/// </summary>
internal sealed record EarnStrategyDefinition
{
    public required string Id { get; init; }

    public required AssetDefinition Asset { get; init; }

    public required EarnLockType LockType { get; init; }

    /// <summary>Seconds between reward payouts (bonded and instant).</summary>
    public long PayoutFrequency { get; init; }

    /// <summary>Seconds an allocation is "bonding" (earning nothing yet, not deallocatable) before it is active.</summary>
    public long BondingPeriod { get; init; }

    public bool BondingPeriodVariable { get; init; }

    public bool BondingRewards { get; init; }

    public long ExitQueuePeriod { get; init; }

    /// <summary>Seconds a deallocation is "unbonding" before the funds are back in the spot balance (bonded only).</summary>
    public long UnbondingPeriod { get; init; }

    public bool UnbondingPeriodVariable { get; init; }

    public bool UnbondingRewards { get; init; }

    public required decimal AprLow { get; init; }

    public required decimal AprHigh { get; init; }

    /// <summary>Smallest allocation (and deallocation, unless it takes out everything that is left).</summary>
    public required decimal MinAllocation { get; init; }

    /// <summary>Most one user may have allocated; null: no cap (and no "user_cap" key, as the example).</summary>
    public decimal? UserCap { get; init; }

    /// <summary>enabled | disabled | optional (optional also writes its default).</summary>
    public string AutoCompound { get; init; } = "enabled";

    public bool AutoCompoundDefault { get; init; }

    /// <summary>staking | off_chain.</summary>
    public string YieldSource { get; init; } = "staking";

    /// <summary>The lowest verification tier allowed to allocate; lower tiers see can_allocate=false and "tier".</summary>
    public TierLimits? MinimumTier { get; init; }

    public string LockTypeName => LockType switch
    {
        EarnLockType.Flex => "flex",
        EarnLockType.Bonded => "bonded",
        _ => "instant",
    };

    /// <summary>Whether an account of <paramref name="tier"/> may allocate.</summary>
    public bool AllowsTier(TierLimits tier) => MinimumTier is null || Rank(tier) >= Rank(MinimumTier);

    private static int Rank(TierLimits tier) => tier.Name switch
    {
        "Pro" => 2,
        "Intermediate" => 1,
        _ => 0,
    };
}

/// <summary>
/// The strategies the emulator offers: a few per asset across the lock types, with plausible APRs, minimums and
/// periods. DOT's instant strategy is the documented example's (id, APR 8-12 %, weekly payout); ETH's bonded one has
/// the id of the Allocations example. Immutable: safe to read without a lock.
/// </summary>
internal sealed class EarnCatalogue
{
    private const long Day = 86_400;

    public EarnCatalogue(MarketCatalogue market)
    {
        AssetDefinition Asset(string key) => market.TryFindAsset(key, out var asset) ? asset : throw new InvalidOperationException($"The catalogue lacks {key}.");
        var dot = Asset("DOT");
        var eth = Asset("XETH");
        var xbt = Asset("XXBT");
        var sol = Asset("SOL");
        var usdt = Asset("USDT");
        var usd = Asset("ZUSD");
        var eur = Asset("ZEUR");

        Strategies =
        [
            new() { Id = "ESRFUO3-Q62XD-WIOIL7", Asset = dot, LockType = EarnLockType.Instant, PayoutFrequency = 7 * Day, AprLow = 8m, AprHigh = 12m, MinAllocation = 0.01m },
            new()
            {
                Id = "ESXUM7H-SJHQ6-KOQNNI", Asset = dot, LockType = EarnLockType.Bonded, PayoutFrequency = 7 * Day,
                BondingPeriod = 0, UnbondingPeriod = 28 * Day, AprLow = 12m, AprHigh = 15m, MinAllocation = 1m,
            },
            new()
            {
                Id = "ESDQCOL-WTZEU-NU55QF", Asset = eth, LockType = EarnLockType.Bonded, PayoutFrequency = 7 * Day,
                BondingPeriod = 14 * Day, BondingPeriodVariable = true, UnbondingPeriod = 10 * Day, UnbondingPeriodVariable = true,
                AprLow = 2.5m, AprHigh = 5m, MinAllocation = 0.0001m,
            },
            new() { Id = "ESLOFUH-2ZVNV-QJQ3LZ", Asset = eth, LockType = EarnLockType.Flex, AprLow = 1m, AprHigh = 2m, MinAllocation = 0.01m, YieldSource = "off_chain" },
            new()
            {
                Id = "ESMWVX6-JAPVY-23L3CK", Asset = xbt, LockType = EarnLockType.Flex, AprLow = 0.1m, AprHigh = 0.15m, MinAllocation = 0.0001m,
                AutoCompound = "optional", AutoCompoundDefault = false, YieldSource = "off_chain",
            },
            new() { Id = "ESPLGZC-FLYPX-WXL4YU", Asset = sol, LockType = EarnLockType.Instant, PayoutFrequency = 3 * Day, AprLow = 5m, AprHigh = 7m, MinAllocation = 0.01m },
            new()
            {
                Id = "ES6YGO2-SPL2J-TNUH3W", Asset = sol, LockType = EarnLockType.Bonded, PayoutFrequency = 3 * Day,
                BondingPeriod = 3 * Day, UnbondingPeriod = 3 * Day, UnbondingPeriodVariable = true, AprLow = 7m, AprHigh = 9m,
                MinAllocation = 1m, MinimumTier = TierLimits.Intermediate,
            },
            new() { Id = "ESXMLKC-YKW3M-LVNBFC", Asset = usdt, LockType = EarnLockType.Flex, AprLow = 4m, AprHigh = 5.5m, MinAllocation = 1m, UserCap = 100_000m, YieldSource = "off_chain" },
            new() { Id = "ESZIXDV-LGVGH-YGTE6Y", Asset = usd, LockType = EarnLockType.Flex, AprLow = 3.5m, AprHigh = 4m, MinAllocation = 1m, YieldSource = "off_chain" },
            new() { Id = "ESBIK2P-3ZJ6R-ZNO3XU", Asset = eur, LockType = EarnLockType.Flex, AprLow = 2m, AprHigh = 2.5m, MinAllocation = 1m, YieldSource = "off_chain" },
        ];
    }

    /// <summary>Every strategy, in the order above (Earn/Strategies sorts them by id).</summary>
    public IReadOnlyList<EarnStrategyDefinition> Strategies { get; }

    public EarnStrategyDefinition? Find(string id) => Strategies.FirstOrDefault(s => string.Equals(s.Id, id.Trim(), StringComparison.Ordinal));
}
