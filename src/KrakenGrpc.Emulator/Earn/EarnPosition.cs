namespace KrakenGrpc.Emulator.Earn;

/// <summary>
/// An amount in one state of an Earn position: an allocation (bonding until it ends, then active) or a
/// deallocation that is unbonding until it ends.
/// </summary>
internal sealed class EarnLot
{
    public required decimal Amount { get; set; }

    /// <summary>Market time it began, unix nanoseconds (Allocations "created_at").</summary>
    public required long CreatedNs { get; init; }

    /// <summary>Market time its bonding or unbonding ends (Allocations "expires").</summary>
    public required long EndsNs { get; init; }

    /// <summary>The same end on the emulator's clock, which decides when the state changes.</summary>
    public required DateTimeOffset EndsAt { get; init; }
}

/// <summary>
/// One Allocate or Deallocate request: accepted at once, completed (or failed) when its due time comes on the
/// emulator's clock. AllocateStatus / DeallocateStatus report the latest one of their kind.
/// </summary>
internal sealed class EarnOperation
{
    public required bool IsAllocation { get; init; }

    public required decimal Amount { get; init; }

    public required DateTimeOffset DueAt { get; init; }

    public bool Completed { get; set; }

    /// <summary>Kraken's error string when the operation failed on completion (insufficient funds, above the cap).</summary>
    public string? Error { get; set; }
}

/// <summary>An account's stake in one Earn strategy. Not thread-safe: used under the emulator's gate.</summary>
internal sealed class EarnPosition(EarnStrategyDefinition strategy, long startedNs)
{
    public EarnStrategyDefinition Strategy { get; } = strategy;

    /// <summary>When the account first asked to allocate, market time: Allocations orders its items by it.</summary>
    public long StartedNs { get; } = startedNs;

    /// <summary>Allocated amounts, oldest first: bonding until their end, active after.</summary>
    public List<EarnLot> Allocated { get; } = [];

    /// <summary>Deallocated amounts on their way back to the spot balance (bonded strategies with an unbonding period).</summary>
    public List<EarnLot> Unbonding { get; } = [];

    public EarnOperation? LastAllocation { get; set; }

    public EarnOperation? LastDeallocation { get; set; }

    /// <summary>Whether an allocation ever completed: only then does the position appear in Allocations.</summary>
    public bool EverAllocated { get; set; }

    /// <summary>One operation at a time per strategy (EEarnings:Busy:Another (de)allocation ... is in progress).</summary>
    public bool Busy => LastAllocation is { Completed: false } || LastDeallocation is { Completed: false };

    public IEnumerable<EarnLot> Bonding(DateTimeOffset now) => Allocated.Where(l => now < l.EndsAt);

    /// <summary>What can be deallocated now: allocations past their bonding period.</summary>
    public decimal Active(DateTimeOffset now) => Allocated.Where(l => now >= l.EndsAt).Sum(l => l.Amount);

    /// <summary>Everything in the strategy: bonding, active and unbonding (Allocations' "total").</summary>
    public decimal Total => Allocated.Sum(l => l.Amount) + Unbonding.Sum(l => l.Amount);
}
