using System.Globalization;
using System.Text.Json;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Earn;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken's Earn endpoints (api-reference.md "Earn"): the strategies on offer, the account's allocations, and
/// Allocate / Deallocate, which answer true at once and complete after
/// <see cref="KrakenEmulatorOptions.EarnOperationTime"/> (<see cref="EarnBook"/>), with their status endpoints.
/// Shapes follow fixtures/docs/Earn_*.json.
/// </summary>
internal sealed class EarnEndpoints(PrivateEndpoints gate, EarnBook earn)
{
    /// <summary>Earn/Strategies' limit is a uint16.</summary>
    private const int MaxLimit = ushort.MaxValue;

    private static readonly string[] LockTypeNames = ["flex", "bonded", "timed", "instant"];

    private MatchingEngine Engine => gate.Engine;

    private MarketCatalogue Catalogue => gate.Catalogue;

    public void Register(EndpointTable table)
    {
        gate.Map(table, "Earn/Strategies", 1, Strategies);
        gate.Map(table, "Earn/Allocations", 1, Allocations);
        gate.Map(table, "Earn/Allocate", 1, call => Move(call, allocate: true));
        gate.Map(table, "Earn/Deallocate", 1, call => Move(call, allocate: false));
        gate.Map(table, "Earn/AllocateStatus", 1, call => Status(call, allocate: true));
        gate.Map(table, "Earn/DeallocateStatus", 1, call => Status(call, allocate: false));
    }

    /// <summary>
    /// The strategies, sorted by id (descending unless ascending=true), filtered by asset and lock types, in pages of
    /// <c>limit</c> (all by default). The cursor is a page number, as the example's next_cursor "2"; next_cursor is
    /// null on the last page. can_allocate reflects the caller's tier.
    /// </summary>
    private EndpointResponse Strategies(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!PrivateEndpoints.TryBool(parameters, "ascending", false, out var ascending))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("ascending"));
        }

        // An asset the emulator does not know simply has no strategies.
        var assetName = parameters.NonEmpty("asset");
        AssetDefinition? asset = null;
        var unknownAsset = assetName is not null && !Catalogue.TryFindAsset(assetName, out asset);

        if (!TryLockTypes(parameters, out var lockTypes))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("lock_type"));
        }

        if (!parameters.TryGetInt("limit", MaxLimit, 1, MaxLimit, out var limit))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("limit"));
        }

        if (!parameters.TryGetInt("cursor", 1, 1, int.MaxValue, out var page))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("cursor"));
        }

        var matching = earn.Catalogue.Strategies
            .Where(s => !unknownAsset && (asset is null || s.Asset == asset))
            .Where(s => lockTypes is null || lockTypes.Contains(s.LockTypeName))
            .ToArray();
        matching = ascending
            ? [.. matching.OrderBy(s => s.Id, StringComparer.Ordinal)]
            : [.. matching.OrderByDescending(s => s.Id, StringComparer.Ordinal)];
        var skip = (long)(page - 1) * limit;
        var items = matching.Skip((int)Math.Min(skip, int.MaxValue)).Take(limit).ToArray();
        var more = skip + items.Length < matching.Length;
        var tier = call.Account.Tier;
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            if (more)
            {
                w.WriteString("next_cursor", (page + 1).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("next_cursor");
            }

            w.WriteStartArray("items");
            foreach (var strategy in items)
            {
                WriteStrategy(w, strategy, strategy.AllowsTier(tier));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// The account's positions (those that ever held an allocation), valued in <c>converted_asset</c> (USD by
    /// default) at the market's last prices. Rewards are not modelled: total_rewarded is always zero and no payout
    /// is shown. next_cursor is null: the endpoint takes no cursor and everything fits in one answer.
    /// </summary>
    private EndpointResponse Allocations(PrivateCall call)
    {
        var parameters = call.Parameters;
        if (!PrivateEndpoints.TryBool(parameters, "ascending", false, out var ascending))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("ascending"));
        }

        if (!PrivateEndpoints.TryBool(parameters, "hide_zero_allocations", false, out var hideZero))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("hide_zero_allocations"));
        }

        if (!Catalogue.TryFindAsset(parameters.NonEmpty("converted_asset") ?? "USD", out var target))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("converted_asset"));
        }

        var now = earn.Now;
        var valuation = Engine.Valuation;
        var positions = call.Account.EarnPositions
            .Where(p => p.EverAllocated && (!hideZero || p.Total > 0m))
            .ToArray();
        positions = ascending ? [.. positions.OrderBy(p => p.StartedNs)] : [.. positions.OrderByDescending(p => p.StartedNs)];
        var totalAllocated = positions.Sum(p => valuation.ValueIn(p.Strategy.Asset, p.Total, target));
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("converted_asset", target.Altname);
            w.WriteFixedString("total_allocated", totalAllocated, target.Decimals);
            w.WriteFixedString("total_rewarded", 0m, target.Decimals);
            w.WriteNull("next_cursor");
            w.WriteStartArray("items");
            foreach (var position in positions)
            {
                var asset = position.Strategy.Asset;
                w.WriteStartObject();
                w.WriteString("strategy_id", position.Strategy.Id);
                w.WriteString("native_asset", asset.Altname);
                w.WriteStartObject("amount_allocated");
                WriteLots(w, "bonding", position.Bonding(now).ToArray(), asset, target);
                WriteLots(w, "unbonding", position.Unbonding.ToArray(), asset, target);
                w.WriteStartObject("total");
                w.WriteFixedString("native", position.Total, asset.Decimals);
                w.WriteFixedString("converted", valuation.ValueIn(asset, position.Total, target), target.Decimals);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("total_rewarded");

                // The example writes a reward of nothing as a bare "0" natively.
                w.WriteString("native", "0");
                w.WriteFixedString("converted", 0m, target.Decimals);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Allocate or Deallocate: true once accepted; the work happens later (poll the status endpoint).</summary>
    private EndpointResponse Move(PrivateCall call, bool allocate)
    {
        if (!TryStrategy(call.Parameters, out var strategy, out var error))
        {
            return error!.Value;
        }

        if (!OrderRequestParser.TryDecimal(call.Parameters.NonEmpty("amount"), strategy!.Asset.Decimals, out var amount) || amount <= 0m)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("amount"));
        }

        return earn.Start(call.Account, strategy, allocate, amount) is { } refused
            ? PrivateEndpoints.Error(refused)
            : PrivateEndpoints.Ok(w => w.WriteBooleanValue(true));
    }

    /// <summary>
    /// <c>{"pending": true}</c> while the latest operation of that kind is in progress, false after (or when there
    /// was none); a failed one answers its error instead, as the reference describes.
    /// </summary>
    private EndpointResponse Status(PrivateCall call, bool allocate)
    {
        if (!TryStrategy(call.Parameters, out var strategy, out var error))
        {
            return error!.Value;
        }

        var position = EarnBook.Position(call.Account, strategy!);
        var operation = allocate ? position?.LastAllocation : position?.LastDeallocation;
        if (operation?.Error is { } failure)
        {
            return PrivateEndpoints.Error(failure);
        }

        var pending = operation is { Completed: false };
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("pending", pending);
            w.WriteEndObject();
        });
    }

    private bool TryStrategy(RequestParameters parameters, out EarnStrategyDefinition? strategy, out EndpointResponse? error)
    {
        strategy = null;
        error = null;
        if (parameters.NonEmpty("strategy_id") is not { } id)
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidArgument("strategy_id"));
            return false;
        }

        strategy = earn.Catalogue.Find(id);
        if (strategy is null)
        {
            error = PrivateEndpoints.Error(KrakenErrors.InvalidStrategyId);
            return false;
        }

        return true;
    }

    /// <summary>
    /// lock_type: a JSON array (JSON bodies), a comma list (form bodies, as the gateway encodes lists) or one value,
    /// also accepted as <c>lock_type[]</c>. Null when absent (no filter).
    /// </summary>
    private static bool TryLockTypes(RequestParameters parameters, out HashSet<string>? lockTypes)
    {
        lockTypes = null;
        var text = parameters.NonEmpty("lock_type") ?? parameters.NonEmpty("lock_type[]");
        if (text is null)
        {
            return true;
        }

        string[] names;
        if (text.TrimStart().StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                names = document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : e.GetRawText()).ToArray();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return false;
            }
        }
        else
        {
            names = RequestParameters.SplitList(text).ToArray();
        }

        if (names.Any(n => !LockTypeNames.Contains(n, StringComparer.Ordinal)))
        {
            return false;
        }

        lockTypes = new HashSet<string>(names, StringComparer.Ordinal);
        return true;
    }

    /// <summary>One strategy in the example's key order; lock_type carries the fields of its type (api-reference).</summary>
    private static void WriteStrategy(Utf8JsonWriter w, EarnStrategyDefinition strategy, bool canAllocate)
    {
        w.WriteStartObject();
        w.WriteString("id", strategy.Id);
        w.WriteString("asset", strategy.Asset.Altname);
        w.WriteStartObject("lock_type");
        w.WriteString("type", strategy.LockTypeName);
        switch (strategy.LockType)
        {
            case EarnLockType.Bonded:
                w.WriteNumber("bonding_period", strategy.BondingPeriod);
                w.WriteBoolean("bonding_period_variable", strategy.BondingPeriodVariable);
                w.WriteBoolean("bonding_rewards", strategy.BondingRewards);
                w.WriteNumber("exit_queue_period", strategy.ExitQueuePeriod);
                w.WriteNumber("payout_frequency", strategy.PayoutFrequency);
                w.WriteNumber("unbonding_period", strategy.UnbondingPeriod);
                w.WriteBoolean("unbonding_period_variable", strategy.UnbondingPeriodVariable);
                w.WriteBoolean("unbonding_rewards", strategy.UnbondingRewards);
                break;
            case EarnLockType.Instant:
                w.WriteNumber("payout_frequency", strategy.PayoutFrequency);
                break;
        }

        w.WriteEndObject();
        w.WriteStartObject("apr_estimate");
        w.WriteFixedString("low", strategy.AprLow, 4);
        w.WriteFixedString("high", strategy.AprHigh, 4);
        w.WriteEndObject();
        w.WriteString("user_min_allocation", KrakenNumber.Plain(strategy.MinAllocation));
        if (strategy.UserCap is { } cap)
        {
            w.WriteString("user_cap", KrakenNumber.Plain(cap));
        }

        w.WriteFixedString("allocation_fee", 0m, 4);
        w.WriteFixedString("deallocation_fee", 0m, 4);
        w.WriteStartObject("auto_compound");
        w.WriteString("type", strategy.AutoCompound);
        if (strategy.AutoCompound == "optional")
        {
            w.WriteBoolean("default", strategy.AutoCompoundDefault);
        }

        w.WriteEndObject();
        w.WriteStartObject("yield_source");
        w.WriteString("type", strategy.YieldSource);
        w.WriteEndObject();
        w.WriteBoolean("can_allocate", canAllocate);
        w.WriteBoolean("can_deallocate", true);
        w.WriteStartArray("allocation_restriction_info");
        if (!canAllocate)
        {
            w.WriteStringValue("tier");
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A bonding or unbonding state with its lots, as the example's "bonding" (omitted when empty).</summary>
    private void WriteLots(Utf8JsonWriter w, string name, EarnLot[] lots, AssetDefinition asset, AssetDefinition target)
    {
        if (lots.Length == 0)
        {
            return;
        }

        var valuation = Engine.Valuation;
        var total = lots.Sum(l => l.Amount);
        w.WriteStartObject(name);
        w.WriteFixedString("native", total, asset.Decimals);
        w.WriteFixedString("converted", valuation.ValueIn(asset, total, target), target.Decimals);
        w.WriteNumber("allocation_count", lots.Length);
        w.WriteStartArray("allocations");
        foreach (var lot in lots)
        {
            w.WriteStartObject();
            w.WriteString("created_at", KrakenNumber.Rfc3339Seconds(lot.CreatedNs));
            w.WriteString("expires", KrakenNumber.Rfc3339Milliseconds(lot.EndsNs));
            w.WriteFixedString("native", lot.Amount, asset.Decimals);
            w.WriteFixedString("converted", valuation.ValueIn(asset, lot.Amount, target), target.Decimals);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
