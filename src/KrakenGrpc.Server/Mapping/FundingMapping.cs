using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Validation;
using static KrakenGrpc.Server.Mapping.KrakenJson;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// FundingService requests to Kraken parameters (validated first: nothing invalid goes upstream) and Kraken results
/// to response messages. Every field the caller set goes to Kraken under Kraken's own name; nothing the caller left
/// unset is sent. Amounts, fees and limits are copied as Kraken's text, never parsed; see <see cref="KrakenJson"/>.
/// The money-moving calls (Withdraw, WithdrawCancel, WalletTransfer, Earn/Allocate, Earn/Deallocate) are catalogue
/// writes, which the transport never re-sends.
/// </summary>
internal static class FundingMapping
{
    /// <summary>Earn/Strategies takes its page size as an unsigned 16-bit number.</summary>
    public const int MaxEarnPageSize = ushort.MaxValue;

    /// <summary>The deposit method for which Kraken requires an amount on DepositAddresses (the address is an invoice).</summary>
    public const string LightningDepositMethod = "Bitcoin Lightning";

    private static readonly Vocabulary<EarnLockType> LockTypes = new(
        (EarnLockType.Flex, "flex"),
        (EarnLockType.Bonded, "bonded"),
        (EarnLockType.Timed, "timed"),
        (EarnLockType.Instant, "instant"));

    private static readonly Vocabulary<EarnAutoCompoundType> AutoCompoundTypes = new(
        (EarnAutoCompoundType.Disabled, "disabled"),
        (EarnAutoCompoundType.Enabled, "enabled"),
        (EarnAutoCompoundType.Optional, "optional"));

    private static readonly Vocabulary<EarnYieldSourceType> YieldSourceTypes = new(
        (EarnYieldSourceType.Staking, "staking"),
        (EarnYieldSourceType.OffChain, "off_chain"));

    /// <summary>The endpoint GetDepositAddresses calls: a write when it generates a new address, a read otherwise.</summary>
    public static KrakenEndpoint Endpoint(GetDepositAddressesRequest request) =>
        request.HasNew && request.New ? KrakenEndpoints.NewDepositAddress : KrakenEndpoints.DepositAddresses;

    // ---- Requests: deposits ---------------------------------------------------------------------------------

    public static KrakenParameters Parameters(GetDepositMethodsRequest request)
    {
        new RequestValidation()
            .Required("asset", request.Asset)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("aclass", request.Aclass)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetDepositAddressesRequest request)
    {
        var lightning = string.Equals(request.Method.Trim(), LightningDepositMethod, StringComparison.OrdinalIgnoreCase);
        new RequestValidation()
            .Required("asset", request.Asset)
            .Required("method", request.Method)
            .Decimal("amount", request.Amount, required: lightning)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("aclass", request.Aclass)
            .Add("method", request.Method)
            .Add("new", request.HasNew ? request.New : null)
            .Add("amount", request.Amount)
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetDepositsStatusRequest request) => HistoryParameters(
        request.Asset, request.Aclass, request.Method, request.Start, request.End,
        request.HasPaginate ? request.Paginate : null, request.HasNextCursor ? request.NextCursor : null,
        request.HasLimit ? request.Limit : null, request.RebaseMultiplier, request.Otp, boundsExcluded: false);

    // DepositStatus and WithdrawStatus take the same filters and cursor; only how Kraken treats the time bounds differs.
    private static KrakenParameters HistoryParameters(
        string asset, string aclass, string method, Timestamp? start, Timestamp? end, bool? paginate, string? nextCursor,
        int? limit, RebaseMultiplier rebaseMultiplier, string otp, bool boundsExcluded)
    {
        var validation = new RequestValidation();
        ValidateHistory(validation, start, end, paginate, nextCursor, limit, boundsExcluded);
        validation
            .Defined("rebase_multiplier", rebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", asset)
            .Add("aclass", aclass)
            .Add("method", method)
            .Add("start", StartSeconds(start))
            .Add("end", EndSeconds(end))
            .Add("cursor", paginate)
            .Add("cursor", nextCursor)
            .Add("limit", limit)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(rebaseMultiplier))
            .Add("otp", otp);
    }

    // ---- Requests: withdrawals ------------------------------------------------------------------------------

    public static KrakenParameters Parameters(GetWithdrawalMethodsRequest request)
    {
        new RequestValidation()
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("aclass", request.Aclass)
            .Add("network", request.Network)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetWithdrawalAddressesRequest request) => new KrakenParameters()
        .Add("asset", request.Asset)
        .Add("aclass", request.Aclass)
        .Add("method", request.Method)
        .Add("key", request.Key)
        .Add("verified", request.HasVerified ? request.Verified : null)
        .Add("otp", request.Otp);

    public static KrakenParameters Parameters(GetWithdrawalInfoRequest request)
    {
        new RequestValidation()
            .Required("asset", request.Asset)
            .Required("key", request.Key)
            .Decimal("amount", request.Amount, required: true)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("key", request.Key)
            .Add("amount", request.Amount)
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(SubmitWithdrawalRequest request)
    {
        new RequestValidation()
            .Required("asset", request.Asset)
            .Required("key", request.Key)
            .Decimal("amount", request.Amount, required: true)
            // "0" is a meaningful ceiling: only a withdrawal without fee may go through.
            .Decimal("max_fee", request.MaxFee, positive: false)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("aclass", request.Aclass)
            .Add("key", request.Key)
            .Add("address", request.Address)
            .Add("amount", request.Amount)
            .Add("max_fee", request.MaxFee)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetWithdrawalsStatusRequest request) => HistoryParameters(
        request.Asset, request.Aclass, request.Method, request.Start, request.End,
        request.HasPaginate ? request.Paginate : null, request.HasNextCursor ? request.NextCursor : null,
        request.HasLimit ? request.Limit : null, request.RebaseMultiplier, request.Otp, boundsExcluded: true);

    public static KrakenParameters Parameters(CancelWithdrawalRequest request)
    {
        new RequestValidation()
            .Required("asset", request.Asset)
            .Required("refid", request.Refid)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("refid", request.Refid)
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(SubmitTransferToFuturesRequest request)
    {
        new RequestValidation()
            .Required("asset", request.Asset)
            .Required("from", request.From)
            .Required("to", request.To)
            .Check(request.From.Trim().Length == 0 || !string.Equals(request.From.Trim(), request.To.Trim(), StringComparison.OrdinalIgnoreCase),
                "to", "must be another wallet than from (Kraken transfers from \"Spot Wallet\" to \"Futures Wallet\")")
            .Decimal("amount", request.Amount, required: true)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("from", request.From)
            .Add("to", request.To)
            .Add("amount", request.Amount)
            .Add("otp", request.Otp);
    }

    // ---- Requests: Earn -------------------------------------------------------------------------------------

    public static KrakenParameters Parameters(GetEarnStrategiesRequest request)
    {
        var validation = new RequestValidation()
            .InRange("limit", request.HasLimit ? request.Limit : null, 1, MaxEarnPageSize);
        for (var i = 0; i < request.LockType.Count; i++)
        {
            var lockType = request.LockType[i];
            validation.Check(lockType != EarnLockType.Unspecified && System.Enum.IsDefined(lockType), $"lock_type[{i}]",
                $"must be FLEX, BONDED, TIMED or INSTANT, was {(int)lockType}");
        }
        validation.ThrowIfInvalid();
        return new KrakenParameters()
            .Add("ascending", request.HasAscending ? request.Ascending : null)
            .Add("asset", request.Asset)
            .Add("cursor", request.Cursor)
            .Add("limit", request.HasLimit ? request.Limit : null)
            .Add("lock_type", request.LockType.Select(LockTypes.ToKraken).OfType<string>().ToList())
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetEarnAllocationsRequest request) => new KrakenParameters()
        .Add("ascending", request.HasAscending ? request.Ascending : null)
        .Add("converted_asset", request.ConvertedAsset)
        .Add("hide_zero_allocations", request.HasHideZeroAllocations ? request.HideZeroAllocations : null)
        .Add("otp", request.Otp);

    public static KrakenParameters Parameters(AllocateEarnFundsRequest request) => EarnMovement(request.Amount, request.StrategyId, request.Otp);

    public static KrakenParameters Parameters(DeallocateEarnFundsRequest request) => EarnMovement(request.Amount, request.StrategyId, request.Otp);

    public static KrakenParameters Parameters(GetEarnAllocationStatusRequest request) => EarnStatus(request.StrategyId, request.Otp);

    public static KrakenParameters Parameters(GetEarnDeallocationStatusRequest request) => EarnStatus(request.StrategyId, request.Otp);

    private static KrakenParameters EarnMovement(string amount, string strategyId, string otp)
    {
        new RequestValidation()
            .Decimal("amount", amount, required: true)
            .Required("strategy_id", strategyId)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("amount", amount)
            .Add("strategy_id", strategyId)
            .Add("otp", otp);
    }

    private static KrakenParameters EarnStatus(string strategyId, string otp)
    {
        new RequestValidation().Required("strategy_id", strategyId).ThrowIfInvalid();
        return new KrakenParameters()
            .Add("strategy_id", strategyId)
            .Add("otp", otp);
    }

    // ---- Request helpers ------------------------------------------------------------------------------------

    /// <summary>
    /// The filters and paging of DepositStatus and WithdrawStatus. <paramref name="boundsExcluded"/>: Kraken excludes
    /// the bounds themselves (WithdrawStatus), so equal bounds could match nothing.
    /// </summary>
    private static void ValidateHistory(
        RequestValidation validation, Timestamp? start, Timestamp? end, bool? paginate, string? nextCursor, int? limit, bool boundsExcluded)
    {
        validation
            .Check(IsUnixTime(start), "start", "must be a valid time after 1970-01-01T00:00:00Z")
            .Check(IsUnixTime(end), "end", "must be a valid time after 1970-01-01T00:00:00Z");
        if (start is not null && end is not null && IsUnixTime(start) && IsUnixTime(end))
        {
            var order = start.CompareTo(end);
            validation.Check(boundsExcluded ? order < 0 : order <= 0, "end",
                boundsExcluded ? "must be later than start (Kraken excludes both bounds)" : "must not be earlier than start");
        }
        validation
            .Check(nextCursor is null || nextCursor.Trim().Length > 0, "next_cursor",
                "must not be empty: pass the next_cursor of the previous page, or set paginate to start paging")
            .InRange("limit", limit, 1, int.MaxValue)
            .NotBoth("limit", limit is not null, "paginate=false (no pagination)", paginate == false);
    }

    private static bool IsUnixTime(Timestamp? time) => time is null || (time.Seconds > 0 && time.Nanos is >= 0 and < 1_000_000_000);

    // Kraken takes whole unix seconds. The window sent is widened to whole seconds, never narrowed: the start is
    // rounded down and the end up, so no deposit or withdrawal the caller asked for is left out.
    private static long? StartSeconds(Timestamp? start) => start?.Seconds;

    private static long? EndSeconds(Timestamp? end) => end is null ? null : end.Seconds + (end.Nanos > 0 ? 1 : 0);

    // ---- Results: deposits ----------------------------------------------------------------------------------

    public static GetDepositMethodsResponse ToDepositMethods(JsonElement result)
    {
        var response = new GetDepositMethodsResponse();
        response.Methods.AddRange(Items(result).Select(method => new DepositMethod
        {
            Method = Text(method, "method"),
            // Kraken writes false when there is no limit.
            Limit = method.TryGetProperty("limit", out var limit) && limit.ValueKind == JsonValueKind.False ? string.Empty : Text(method, "limit"),
            Fee = Text(method, "fee"),
            AddressSetupFee = Text(method, "address-setup-fee"),
            CanGenerateAddress = Flag(method, "gen-address"),
            Minimum = Text(method, "minimum"),
        }));
        return response;
    }

    public static GetDepositAddressesResponse ToDepositAddresses(JsonElement result)
    {
        var response = new GetDepositAddressesResponse();
        response.Addresses.AddRange(Items(result).Select(address => new DepositAddress
        {
            Address = Text(address, "address"),
            // "0": the address never expires (unset).
            ExpireTime = UnixSeconds(address, "expiretm"),
            NeverUsed = Flag(address, "new"),
            Tag = Text(address, "tag"),
            Memo = Text(address, "memo"),
        }));
        return response;
    }

    /// <summary>DepositStatus answers a bare array without pagination and <c>{"deposit": [...], "next_cursor": ...}</c> with it.</summary>
    public static GetDepositsStatusResponse ToDepositsStatus(JsonElement result)
    {
        var (items, nextCursor) = Page(result, "deposit", "deposits");
        var response = new GetDepositsStatusResponse { NextCursor = nextCursor };
        response.Deposits.AddRange(items.Select(ToDeposit));
        return response;
    }

    private static Deposit ToDeposit(JsonElement deposit)
    {
        var mapped = new Deposit
        {
            Method = Text(deposit, "method"),
            AssetClass = Text(deposit, "aclass"),
            Asset = Text(deposit, "asset"),
            ReferenceId = Text(deposit, "refid"),
            TransactionId = Text(deposit, "txid"),
            Info = Text(deposit, "info"),
            Amount = Text(deposit, "amount"),
            Fee = Text(deposit, "fee"),
            Time = UnixSeconds(deposit, "time"),
            Status = Text(deposit, "status"),
            StatusProperty = Text(deposit, "status-prop"),
        };
        mapped.Originators.AddRange(Strings(deposit, "originators"));
        return mapped;
    }

    // ---- Results: withdrawals -------------------------------------------------------------------------------

    public static GetWithdrawalMethodsResponse ToWithdrawalMethods(JsonElement result)
    {
        var response = new GetWithdrawalMethodsResponse();
        response.Methods.AddRange(Items(result).Select(method => new WithdrawalMethod
        {
            Asset = Text(method, "asset"),
            Method = Text(method, "method"),
            Network = Text(method, "network"),
            Minimum = Text(method, "minimum"),
        }));
        return response;
    }

    public static GetWithdrawalAddressesResponse ToWithdrawalAddresses(JsonElement result)
    {
        var response = new GetWithdrawalAddressesResponse();
        response.Addresses.AddRange(Items(result).Select(address => new WithdrawalAddress
        {
            Address = Text(address, "address"),
            Asset = Text(address, "asset"),
            Method = Text(address, "method"),
            WithdrawalKey = Text(address, "key"),
            Tag = Text(address, "tag"),
            Verified = Flag(address, "verified"),
        }));
        return response;
    }

    public static GetWithdrawalInfoResponse ToWithdrawalInfo(JsonElement result) => new()
    {
        Method = Text(result, "method"),
        Limit = Text(result, "limit"),
        NetAmount = Text(result, "amount"),
        Fee = Text(result, "fee"),
    };

    public static SubmitWithdrawalResponse ToSubmitWithdrawal(JsonElement result) => new() { ReferenceId = Text(result, "refid") };

    /// <summary>
    /// WithdrawStatus answers a bare array without pagination. Its paginated form is not documented; it is read like
    /// DepositStatus's, the list under "withdrawals" (as Kraken.Net reads it) or "withdrawal", beside "next_cursor".
    /// </summary>
    public static GetWithdrawalsStatusResponse ToWithdrawalsStatus(JsonElement result)
    {
        var (items, nextCursor) = Page(result, "withdrawals", "withdrawal");
        var response = new GetWithdrawalsStatusResponse { NextCursor = nextCursor };
        response.Withdrawals.AddRange(items.Select(withdrawal => new Withdrawal
        {
            Method = Text(withdrawal, "method"),
            Network = Text(withdrawal, "network"),
            AssetClass = Text(withdrawal, "aclass"),
            Asset = Text(withdrawal, "asset"),
            ReferenceId = Text(withdrawal, "refid"),
            TransactionId = Text(withdrawal, "txid"),
            Info = Text(withdrawal, "info"),
            Amount = Text(withdrawal, "amount"),
            Fee = Text(withdrawal, "fee"),
            Time = UnixSeconds(withdrawal, "time"),
            Status = Text(withdrawal, "status"),
            StatusProperty = Text(withdrawal, "status-prop"),
            WithdrawalKey = Text(withdrawal, "key"),
        }));
        return response;
    }

    public static CancelWithdrawalResponse ToCancelWithdrawal(JsonElement result) => new() { CancellationRequested = Accepted(result) };

    public static SubmitTransferToFuturesResponse ToSubmitTransferToFutures(JsonElement result) => new() { ReferenceId = Text(result, "refid") };

    // ---- Results: Earn --------------------------------------------------------------------------------------

    public static GetEarnStrategiesResponse ToEarnStrategies(JsonElement result)
    {
        var response = new GetEarnStrategiesResponse { NextCursor = Text(result, "next_cursor") };
        Fill(response.Strategies, Property(result, "items"), ToEarnStrategy);
        return response;
    }

    private static EarnStrategy ToEarnStrategy(JsonElement strategy)
    {
        var mapped = new EarnStrategy
        {
            Id = Text(strategy, "id"),
            Asset = Text(strategy, "asset"),
            LockType = ObjectOf(strategy, "lock_type") is { } lockType ? ToEarnStrategyLock(lockType) : null,
            AprEstimate = ObjectOf(strategy, "apr_estimate") is { } apr ? new EarnAprEstimate { Low = Text(apr, "low"), High = Text(apr, "high") } : null,
            UserMinAllocation = Text(strategy, "user_min_allocation"),
            UserCap = Text(strategy, "user_cap"),
            AllocationFee = Text(strategy, "allocation_fee"),
            DeallocationFee = Text(strategy, "deallocation_fee"),
            AutoCompound = ObjectOf(strategy, "auto_compound") is { } compound
                ? new EarnAutoCompound { Type = AutoCompoundTypes.FromKraken(Text(compound, "type")), DefaultEnabled = Flag(compound, "default") }
                : null,
            YieldSource = ObjectOf(strategy, "yield_source") is { } source
                ? new EarnYieldSource { Type = YieldSourceTypes.FromKraken(Text(source, "type")) }
                : null,
            CanAllocate = Flag(strategy, "can_allocate"),
            CanDeallocate = Flag(strategy, "can_deallocate"),
        };
        mapped.AllocationRestrictions.AddRange(Strings(strategy, "allocation_restriction_info"));
        return mapped;
    }

    // One shape per lock type; a type this gateway does not know keeps no parameters (and reads as UNSPECIFIED).
    private static EarnStrategyLock ToEarnStrategyLock(JsonElement lockType)
    {
        var mapped = new EarnStrategyLock { Type = LockTypes.FromKraken(Text(lockType, "type")) };
        switch (mapped.Type)
        {
            case EarnLockType.Bonded:
                mapped.Bonded = new EarnBondedLock
                {
                    BondingPeriod = Seconds(lockType, "bonding_period"),
                    BondingPeriodVariable = Flag(lockType, "bonding_period_variable"),
                    BondingRewards = Flag(lockType, "bonding_rewards"),
                    ExitQueuePeriod = Seconds(lockType, "exit_queue_period"),
                    PayoutFrequency = Seconds(lockType, "payout_frequency"),
                    UnbondingPeriod = Seconds(lockType, "unbonding_period"),
                    UnbondingPeriodVariable = Flag(lockType, "unbonding_period_variable"),
                    UnbondingRewards = Flag(lockType, "unbonding_rewards"),
                };
                break;
            case EarnLockType.Instant:
                mapped.Instant = new EarnInstantLock { PayoutFrequency = Seconds(lockType, "payout_frequency") };
                break;
        }
        return mapped;
    }

    public static GetEarnAllocationsResponse ToEarnAllocations(JsonElement result)
    {
        var response = new GetEarnAllocationsResponse
        {
            ConvertedAsset = Text(result, "converted_asset"),
            TotalAllocated = Text(result, "total_allocated"),
            TotalRewarded = Text(result, "total_rewarded"),
            NextCursor = Text(result, "next_cursor"),
        };
        Fill(response.Allocations, Property(result, "items"), item => new EarnAllocation
        {
            StrategyId = Text(item, "strategy_id"),
            NativeAsset = Text(item, "native_asset"),
            AmountAllocated = ObjectOf(item, "amount_allocated") is { } allocated
                ? new EarnAllocatedAmounts
                {
                    Bonding = AllocationState(allocated, "bonding"),
                    ExitQueue = AllocationState(allocated, "exit_queue"),
                    Pending = Amount(allocated, "pending"),
                    Unbonding = AllocationState(allocated, "unbonding"),
                    Total = Amount(allocated, "total"),
                }
                : null,
            Payout = ObjectOf(item, "payout") is { } payout
                ? new EarnPayout
                {
                    AccumulatedReward = Amount(payout, "accumulated_reward"),
                    EstimatedReward = Amount(payout, "estimated_reward"),
                    PeriodStart = AnyTime(payout, "period_start"),
                    PeriodEnd = AnyTime(payout, "period_end"),
                }
                : null,
            TotalRewarded = Amount(item, "total_rewarded"),
        });
        return response;
    }

    private static EarnAllocationState? AllocationState(JsonElement parent, string name)
    {
        if (ObjectOf(parent, name) is not { } state)
        {
            return null;
        }
        var mapped = new EarnAllocationState
        {
            Native = Text(state, "native"),
            Converted = Text(state, "converted"),
            AllocationCount = Long(state, "allocation_count"),
        };
        Fill(mapped.Allocations, Property(state, "allocations"), lot => new EarnAllocationLot
        {
            CreateTime = AnyTime(lot, "created_at"),
            ExpireTime = AnyTime(lot, "expires"),
            Native = Text(lot, "native"),
            Converted = Text(lot, "converted"),
        });
        return mapped;
    }

    private static EarnAmount? Amount(JsonElement parent, string name) =>
        ObjectOf(parent, name) is { } amount ? new EarnAmount { Native = Text(amount, "native"), Converted = Text(amount, "converted") } : null;

    public static AllocateEarnFundsResponse ToAllocateEarnFunds(JsonElement result) => new() { Accepted = Accepted(result) };

    public static DeallocateEarnFundsResponse ToDeallocateEarnFunds(JsonElement result) => new() { Accepted = Accepted(result) };

    public static GetEarnAllocationStatusResponse ToEarnAllocationStatus(JsonElement result) => new() { Pending = Pending(result) };

    public static GetEarnDeallocationStatusResponse ToEarnDeallocationStatus(JsonElement result) => new() { Pending = Pending(result) };

    // ---- Reading helpers ------------------------------------------------------------------------------------

    /// <summary>
    /// A bare boolean answer to a write (WithdrawCancel, Earn/Allocate, Earn/Deallocate). Kraken reports a refusal as
    /// an error, which never reaches here; its schema allows <c>null</c> beside <c>true</c> for the same success. Only
    /// an explicit <c>false</c> reads as "not accepted": reading null as a refusal would invite the caller to move the
    /// money a second time.
    /// </summary>
    private static bool Accepted(JsonElement result) => !string.Equals(Text(result), "false", StringComparison.OrdinalIgnoreCase);

    // Earn/AllocateStatus and DeallocateStatus: {"pending": bool}, or null (nothing in progress).
    private static bool Pending(JsonElement result) => result.ValueKind == JsonValueKind.Object && Flag(result, "pending");

    // The elements of a result array; none when Kraken sends null.
    private static List<JsonElement> Items(JsonElement result) => result.ValueKind switch
    {
        JsonValueKind.Array => result.EnumerateArray().ToList(),
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        _ => throw Unreadable($"expected an array, found {result.ValueKind}"),
    };

    /// <summary>
    /// A history page: a bare array (no pagination), or an object holding the list under one of
    /// <paramref name="listNames"/> beside <c>next_cursor</c>. An object with a list under another name is reported as
    /// unreadable rather than read as an empty history.
    /// </summary>
    private static (List<JsonElement> Items, string NextCursor) Page(JsonElement result, params string[] listNames)
    {
        if (result.ValueKind != JsonValueKind.Object)
        {
            return (Items(result), string.Empty);
        }
        var nextCursor = Text(result, "next_cursor");
        foreach (var name in listNames)
        {
            if (result.TryGetProperty(name, out var list) && list.ValueKind is JsonValueKind.Array or JsonValueKind.Null)
            {
                return (Items(list), nextCursor);
            }
        }
        var unknown = result.EnumerateObject().Where(member => member.Value.ValueKind == JsonValueKind.Array).Select(member => member.Name).ToList();
        if (unknown.Count > 0)
        {
            throw Unreadable($"expected the list under \"{string.Join("\" or \"", listNames)}\", found \"{string.Join("\", \"", unknown)}\"");
        }
        return ([], nextCursor);
    }

    // A nested object; null when absent or null.
    private static JsonElement? ObjectOf(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    // The non-empty strings of an array property.
    private static List<string> Strings(JsonElement parent, string name) =>
        Elements(parent, name).Select(Text).Where(text => text.Length > 0).ToList();

    /// <summary>A duration Kraken writes in seconds (a number or digits in a string), read as text so nothing is rounded; null when absent.</summary>
    private static Duration? Seconds(JsonElement parent, string name)
    {
        var text = Text(parent, name);
        if (text.Length == 0)
        {
            return null;
        }
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? string.Empty : text[(point + 1)..];
        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || !fraction.All(char.IsAsciiDigit))
        {
            throw Unreadable($"'{text}' is not a number of seconds");
        }
        var nanos = fraction.Length > 9 ? fraction[..9] : fraction.PadRight(9, '0');
        return new Duration { Seconds = seconds, Nanos = int.Parse(nanos, CultureInfo.InvariantCulture) };
    }
}
