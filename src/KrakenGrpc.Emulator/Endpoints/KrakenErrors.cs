namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken's error strings, exactly as Kraken spells them (protocol.md §7 names the source of each). The few the
/// references do not document are marked as the emulator's choice.
/// </summary>
internal static class KrakenErrors
{
    public const string InvalidArguments = "EGeneral:Invalid arguments";
    public const string UnknownMethod = "EGeneral:Unknown method";
    public const string InternalError = "EGeneral:Internal error";
    public const string UnknownAssetPair = "EQuery:Unknown asset pair";
    public const string UnknownAsset = "EQuery:Unknown asset";

    // Authentication and the REST call counter (protocol.md §2, §3, §8.1).
    public const string InvalidKey = "EAPI:Invalid key";
    public const string InvalidSignature = "EAPI:Invalid signature";
    public const string InvalidNonce = "EAPI:Invalid nonce";
    public const string RestRateLimitExceeded = "EAPI:Rate limit exceeded";

    // Orders (protocol.md §7 EOrder, §8.2, §8.3).
    public const string InsufficientFunds = "EOrder:Insufficient funds";
    public const string OrderMinimumNotMet = "EOrder:Order minimum not met";
    public const string CostMinimumNotMet = "EOrder:Cost minimum not met";
    public const string TickSizeCheckFailed = "EOrder:Tick size check failed";
    public const string OrdersLimitExceeded = "EOrder:Orders limit exceeded";
    public const string TradingRateLimitExceeded = "EOrder:Rate limit exceeded";

    /// <summary>Cancel or amend of an unknown or already closed order (SDK-RS error-handling guide: one string for both).</summary>
    public const string InvalidOrder = "EOrder:Invalid order";

    /// <summary>Reduce-only order while no margin position exists (DOCS spot-errors); the emulator models no positions.</summary>
    public const string ReduceOnlyNoPosition = "EOrder:Reduce only:No position exists";

    /// <summary>
    /// A cl_ord_id already used by one of the key's open orders. Not in Kraken's published catalogue; the string
    /// the emulator chose (UNCONFIRMED), in Kraken's EOrder form.
    /// </summary>
    public const string DuplicateOrder = "EOrder:Duplicate order";

    /// <summary>An AmendOrder with post_only=true whose new price would take liquidity (emulator's choice, UNCONFIRMED).</summary>
    public const string PostOnlyOrder = "EOrder:Post only order";

    // Service state (protocol.md §7 EService).
    public const string DeadlineElapsed = "EService:Deadline elapsed";
    public const string ServiceUnavailable = "EService:Unavailable";
    public const string CancelOnlyMode = "EService:Market in cancel_only mode";
    public const string PostOnlyMode = "EService:Market in post_only mode";

    /// <summary>The key lacks the endpoint's permission (DOCS spot-errors; api-reference Appendix C).</summary>
    public const string PermissionDenied = "EGeneral:Permission denied";

    // Funding (protocol.md §7 EFunding; AccountTransfer uses the first).
    public const string FundingInsufficientFunds = "EFunding:Insufficient funds";
    public const string UnknownWithdrawKey = "EFunding:Unknown withdraw key";
    public const string FundingInvalidAmount = "EFunding:Invalid amount";
    public const string MaxFeeExceeded = "EFunding:Max fee exceeded";
    public const string FundingUnknownAsset = "EFunding:Unknown asset";
    public const string NoFundingMethod = "EFunding:No funding method";

    /// <summary>
    /// Withdraw's <c>address</c> does not match the key. The reference quotes "Invalid withdrawal address" without a
    /// prefix; the EFunding prefix is the emulator's choice (UNCONFIRMED).
    /// </summary>
    public const string InvalidWithdrawalAddress = "EFunding:Invalid withdrawal address";

    /// <summary>WithdrawCancel of a withdrawal that already settled or was cancelled (emulator's choice, UNCONFIRMED).</summary>
    public const string CannotCancelWithdrawal = "EFunding:Cannot cancel withdrawal";

    // Earn (protocol.md §7 EEarnings, from SPEC's Earn descriptions).
    public const string InvalidStrategyId = "EGeneral:Invalid arguments:Invalid strategy ID";
    public const string EarnBelowMinimum = "EEarnings:Below min:(De)allocation operation amount less than minimum";
    public const string EarnBusy = "EEarnings:Busy:Another (de)allocation for the same strategy is in progress";
    public const string EarnTierTooLow = "EEarnings:Permission denied:The user's tier is not high enough";
    public const string EarnInsufficientFunds = "EEarnings:Insufficient funds:Insufficient funds to complete the (de)allocation request";
    public const string EarnAboveUserCap = "EEarnings:Above max:The allocation exceeds user limit for the strategy";

    /// <summary>EGeneral:Invalid arguments with the offending parameter, as Kraken names it ("...:volume").</summary>
    public static string InvalidArgument(string parameter) => InvalidArguments + ":" + parameter;
}
