using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Endpoints;

namespace KrakenGrpc.Emulator.Earn;

/// <summary>
/// Earn allocations of every account. Allocate and Deallocate are accepted at once (Kraken answers true and works
/// asynchronously) and complete when <see cref="KrakenEmulatorOptions.EarnOperationTime"/> has passed on the
/// emulator's clock: an allocation then moves the amount out of the spot balance (ledger "transfer" /
/// "spottostaking") into the position, a deallocation moves it back ("spotfromstaking") or, for a bonded strategy
/// with an unbonding period, into "unbonding" until that period ends. A check that can only be made then
/// (insufficient funds, the user cap) fails the operation, and the status endpoint reports the error. Completion
/// happens in <see cref="Sweep"/>, which runs before every private call and snapshot. Call only under the gate.
/// </summary>
internal sealed class EarnBook(EarnCatalogue catalogue, AccountRegistry accounts, TimeProvider clock, Func<long> nowNs, TimeSpan operationTime)
{
    private const long NanosPerSecond = 1_000_000_000L;

    public EarnCatalogue Catalogue => catalogue;

    public DateTimeOffset Now => clock.GetUtcNow();

    public static EarnPosition? Position(PaperAccount account, EarnStrategyDefinition strategy) =>
        account.EarnPositions.FirstOrDefault(p => p.Strategy == strategy);

    /// <summary>
    /// Accepts an allocation or deallocation, or answers the error Kraken gives at once (tier, another operation in
    /// progress, below the minimum).
    /// </summary>
    public string? Start(PaperAccount account, EarnStrategyDefinition strategy, bool allocate, decimal amount)
    {
        if (allocate && !strategy.AllowsTier(account.Tier))
        {
            return KrakenErrors.EarnTierTooLow;
        }

        var position = Position(account, strategy);
        if (position?.Busy == true)
        {
            return KrakenErrors.EarnBusy;
        }

        // A deallocation of everything that is left may be below the minimum; anything else may not.
        var everything = !allocate && position is not null && amount == position.Active(Now);
        if (amount < strategy.MinAllocation && !everything)
        {
            return KrakenErrors.EarnBelowMinimum;
        }

        if (position is null)
        {
            position = new EarnPosition(strategy, nowNs());
            account.EarnPositions.Add(position);
        }

        var operation = new EarnOperation { IsAllocation = allocate, Amount = amount, DueAt = Now + operationTime };
        if (allocate)
        {
            position.LastAllocation = operation;
        }
        else
        {
            position.LastDeallocation = operation;
        }

        return null;
    }

    /// <summary>Completes due operations and ends due unbonding periods, for every account.</summary>
    public void Sweep()
    {
        var now = Now;
        foreach (var account in accounts.All)
        {
            foreach (var position in account.EarnPositions)
            {
                foreach (var operation in new[] { position.LastAllocation, position.LastDeallocation })
                {
                    if (operation is { Completed: false } && now >= operation.DueAt)
                    {
                        Complete(account, position, operation);
                    }
                }

                foreach (var lot in position.Unbonding.Where(l => now >= l.EndsAt).ToArray())
                {
                    position.Unbonding.Remove(lot);
                    account.Post(account.NewFundingRefId(), nowNs(), "transfer", "spotfromstaking", position.Strategy.Asset, lot.Amount, 0m);
                }
            }
        }
    }

    private void Complete(PaperAccount account, EarnPosition position, EarnOperation operation)
    {
        operation.Completed = true;
        var strategy = position.Strategy;
        var asset = strategy.Asset;
        var timeNs = nowNs();
        if (operation.IsAllocation)
        {
            if (account.Withdrawable(asset) < operation.Amount)
            {
                operation.Error = KrakenErrors.EarnInsufficientFunds;
                return;
            }

            if (strategy.UserCap is { } cap && position.Total + operation.Amount > cap)
            {
                operation.Error = KrakenErrors.EarnAboveUserCap;
                return;
            }

            account.Post(account.NewFundingRefId(), timeNs, "transfer", "spottostaking", asset, -operation.Amount, 0m);
            position.Allocated.Add(new EarnLot
            {
                Amount = operation.Amount,
                CreatedNs = timeNs,
                EndsNs = timeNs + (strategy.BondingPeriod * NanosPerSecond),
                EndsAt = operation.DueAt + TimeSpan.FromSeconds(strategy.BondingPeriod),
            });
            position.EverAllocated = true;
            return;
        }

        if (position.Active(operation.DueAt) < operation.Amount)
        {
            operation.Error = KrakenErrors.EarnInsufficientFunds;
            return;
        }

        // Oldest active allocations are taken first.
        var left = operation.Amount;
        foreach (var lot in position.Allocated.Where(l => operation.DueAt >= l.EndsAt).ToArray())
        {
            var taken = Math.Min(lot.Amount, left);
            lot.Amount -= taken;
            left -= taken;
            if (lot.Amount == 0m)
            {
                position.Allocated.Remove(lot);
            }

            if (left == 0m)
            {
                break;
            }
        }

        if (strategy.LockType == EarnLockType.Bonded && strategy.UnbondingPeriod > 0)
        {
            position.Unbonding.Add(new EarnLot
            {
                Amount = operation.Amount,
                CreatedNs = timeNs,
                EndsNs = timeNs + (strategy.UnbondingPeriod * NanosPerSecond),
                EndsAt = operation.DueAt + TimeSpan.FromSeconds(strategy.UnbondingPeriod),
            });
            return;
        }

        account.Post(account.NewFundingRefId(), timeNs, "transfer", "spotfromstaking", asset, operation.Amount, 0m);
    }
}
