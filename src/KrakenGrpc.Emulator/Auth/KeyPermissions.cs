namespace KrakenGrpc.Emulator.Auth;

/// <summary>
/// Kraken's API key permissions (api-reference.md Appendix C) and which of them each private endpoint needs (the
/// "API key permission" line of every endpoint in api-reference.md). Configured keys have all of them unless their
/// options say otherwise; Fast API keys have those their creator granted. A call without the permission answers
/// <c>EGeneral:Permission denied</c>.
/// </summary>
internal static class KeyPermissions
{
    public const string QueryFunds = "query-funds";
    public const string AddFunds = "add-funds";
    public const string WithdrawFunds = "withdraw-funds";
    public const string EarnFunds = "earn-funds";
    public const string QueryOpenTrades = "query-open-trades";
    public const string QueryClosedTrades = "query-closed-trades";
    public const string ModifyTrades = "modify-trades";
    public const string CloseTrades = "close-trades";
    public const string QueryLedger = "query-ledger";
    public const string ExportData = "export-data";
    public const string CreateWebSocketToken = "create-ws-token";

    /// <summary>Every permission, in the order GetApiKeyInfo lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        QueryFunds, AddFunds, WithdrawFunds, EarnFunds, QueryOpenTrades, QueryClosedTrades, ModifyTrades, CloseTrades,
        QueryLedger, ExportData, CreateWebSocketToken,
    ];

    /// <summary>
    /// Per endpoint: alternatives, any one of which suffices; each alternative needs all its permissions ("Query and
    /// Deposit" is one alternative of two, "Create &amp; modify or Cancel &amp; close" two alternatives of one). An
    /// endpoint not listed needs none (GetApiKeyInfo, Earn/Strategies: "any valid key").
    /// </summary>
    private static readonly Dictionary<string, string[][]> Required = new(StringComparer.Ordinal)
    {
        ["Balance"] = [[QueryFunds]],
        ["BalanceEx"] = [[QueryFunds]],
        ["CreditLines"] = [[QueryFunds]],
        ["TradeBalance"] = [[QueryOpenTrades]],
        ["OpenOrders"] = [[QueryOpenTrades]],
        ["ClosedOrders"] = [[QueryClosedTrades]],
        ["QueryOrders"] = [[QueryOpenTrades], [QueryClosedTrades]],
        ["OrderAmends"] = [[QueryOpenTrades], [QueryClosedTrades]],
        ["TradesHistory"] = [[QueryClosedTrades]],
        ["QueryTrades"] = [[QueryClosedTrades]],
        ["OpenPositions"] = [[QueryOpenTrades]],
        ["Ledgers"] = [[QueryLedger]],
        ["QueryLedgers"] = [[QueryLedger]],
        ["TradeVolume"] = [[QueryFunds]],
        ["AddExport"] = [[ExportData]],
        ["ExportStatus"] = [[ExportData]],
        ["RetrieveExport"] = [[ExportData]],
        ["RemoveExport"] = [[ExportData]],
        ["Level3"] = [[QueryOpenTrades]],
        ["AddOrder"] = [[ModifyTrades]],
        ["AddOrderBatch"] = [[ModifyTrades, CloseTrades]],
        ["AmendOrder"] = [[ModifyTrades], [CloseTrades]],
        ["EditOrder"] = [[ModifyTrades, CloseTrades]],
        ["CancelOrder"] = [[ModifyTrades], [CloseTrades]],
        ["CancelAll"] = [[ModifyTrades], [CloseTrades]],
        ["CancelAllOrdersAfter"] = [[ModifyTrades], [CloseTrades]],
        ["CancelOrderBatch"] = [[ModifyTrades], [CloseTrades]],
        ["GetWebSocketsToken"] = [[CreateWebSocketToken]],
        ["DepositMethods"] = [[QueryFunds, AddFunds]],
        ["DepositAddresses"] = [[QueryFunds]],
        ["DepositStatus"] = [[QueryFunds]],
        ["WithdrawMethods"] = [[QueryFunds, WithdrawFunds]],
        ["WithdrawAddresses"] = [[QueryFunds, WithdrawFunds]],
        ["WithdrawInfo"] = [[QueryFunds, WithdrawFunds]],
        ["Withdraw"] = [[WithdrawFunds]],
        ["WithdrawStatus"] = [[WithdrawFunds], [QueryLedger]],

        // "Funds permissions - Withdraw (none needed for a WalletTransfer)": the handler checks the record's kind.
        ["WithdrawCancel"] = [],
        ["WalletTransfer"] = [[QueryFunds]],
        ["CreateSubaccount"] = [[WithdrawFunds]],
        ["AccountTransfer"] = [[WithdrawFunds]],
        ["Earn/Allocations"] = [[QueryFunds]],
        ["Earn/Allocate"] = [[EarnFunds]],
        ["Earn/Deallocate"] = [[EarnFunds]],
        ["Earn/AllocateStatus"] = [[EarnFunds], [QueryFunds]],
        ["Earn/DeallocateStatus"] = [[EarnFunds], [QueryFunds]],
    };

    public static bool IsKnown(string permission) => All.Contains(permission, StringComparer.Ordinal);

    /// <summary>Whether a key with <paramref name="granted"/> (null: every permission) may call <paramref name="endpoint"/>.</summary>
    public static bool Allows(string endpoint, IReadOnlySet<string>? granted) =>
        granted is null
        || !Required.TryGetValue(endpoint, out var alternatives)
        || alternatives.Length == 0
        || alternatives.Any(group => group.All(granted.Contains));
}
