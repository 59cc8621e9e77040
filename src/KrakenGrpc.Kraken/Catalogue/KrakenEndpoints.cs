namespace KrakenGrpc.Kraken.Catalogue;

/// <summary>
/// The catalogue: every Kraken Spot REST endpoint the gateway can call, one line each. The facts (paths, body
/// encodings, counter costs) come from the API reference; an endpoint whose cost Kraken leaves unconfirmed carries
/// the reference's working assumption.
/// </summary>
public static class KrakenEndpoints
{
    // Market data: public GETs, parameters in the query string.
    public static readonly KrakenEndpoint Time = Public("Time");
    public static readonly KrakenEndpoint SystemStatus = Public("SystemStatus");
    public static readonly KrakenEndpoint Assets = Public("Assets");
    public static readonly KrakenEndpoint AssetPairs = Public("AssetPairs");
    public static readonly KrakenEndpoint Ticker = Public("Ticker");
    public static readonly KrakenEndpoint Ohlc = Public("OHLC");
    public static readonly KrakenEndpoint Depth = Public("Depth");
    public static readonly KrakenEndpoint GroupedBook = Public("GroupedBook");
    public static readonly KrakenEndpoint Trades = Public("Trades");
    public static readonly KrakenEndpoint Spread = Public("Spread");
    public static readonly KrakenEndpoint PreTrade = Public("PreTrade");
    public static readonly KrakenEndpoint PostTrade = Public("PostTrade");

    // Account data.
    public static readonly KrakenEndpoint Balance = PrivateRead("Balance");
    public static readonly KrakenEndpoint ExtendedBalance = PrivateRead("BalanceEx");
    public static readonly KrakenEndpoint CreditLines = PrivateRead("CreditLines");
    public static readonly KrakenEndpoint TradeBalance = PrivateRead("TradeBalance");
    public static readonly KrakenEndpoint OpenOrders = PrivateRead("OpenOrders");
    public static readonly KrakenEndpoint ClosedOrders = PrivateRead("ClosedOrders");
    public static readonly KrakenEndpoint QueryOrders = PrivateRead("QueryOrders");
    public static readonly KrakenEndpoint OrderAmends = PrivateRead("OrderAmends");
    public static readonly KrakenEndpoint TradesHistory = PrivateRead("TradesHistory", counterCost: 2);
    public static readonly KrakenEndpoint QueryTrades = PrivateRead("QueryTrades");
    public static readonly KrakenEndpoint OpenPositions = PrivateRead("OpenPositions");
    public static readonly KrakenEndpoint Ledgers = PrivateRead("Ledgers", counterCost: 2);
    public static readonly KrakenEndpoint QueryLedgers = PrivateRead("QueryLedgers", counterCost: 2);
    public static readonly KrakenEndpoint TradeVolume = PrivateRead("TradeVolume");
    public static readonly KrakenEndpoint AddExport = PrivateWrite("AddExport");
    public static readonly KrakenEndpoint ExportStatus = PrivateRead("ExportStatus");
    public static readonly KrakenEndpoint RetrieveExport = PrivateRead("RetrieveExport");
    public static readonly KrakenEndpoint RemoveExport = PrivateWrite("RemoveExport");
    public static readonly KrakenEndpoint GetApiKeyInfo = PrivateRead("GetApiKeyInfo");
    public static readonly KrakenEndpoint Level3 = PrivateRead("Level3", BodyEncoding.Json);
    public static readonly KrakenEndpoint GetWebSocketsToken = PrivateRead("GetWebSocketsToken");

    // Trading: charged to the per-pair matching-engine counter, never re-sent blindly.
    public static readonly KrakenEndpoint AddOrder = Trading("AddOrder");
    public static readonly KrakenEndpoint AddOrderBatch = Trading("AddOrderBatch", BodyEncoding.Json);
    public static readonly KrakenEndpoint AmendOrder = Trading("AmendOrder");
    public static readonly KrakenEndpoint EditOrder = Trading("EditOrder");
    public static readonly KrakenEndpoint CancelOrder = Trading("CancelOrder");
    public static readonly KrakenEndpoint CancelOrderBatch = Trading("CancelOrderBatch", BodyEncoding.Json);
    public static readonly KrakenEndpoint CancelAll = PrivateWrite("CancelAll");
    public static readonly KrakenEndpoint CancelAllOrdersAfter = PrivateWrite("CancelAllOrdersAfter");

    // Funding and subaccounts: money moves, so every write is sent at most once.
    public static readonly KrakenEndpoint DepositMethods = PrivateRead("DepositMethods");
    public static readonly KrakenEndpoint DepositAddresses = PrivateRead("DepositAddresses");

    /// <summary>
    /// DepositAddresses with <c>new=true</c>: the same endpoint, but it creates an address on Kraken's side, so it is a
    /// write and a lost answer is never re-sent. Not a separate endpoint, so not in <see cref="All"/>.
    /// </summary>
    public static readonly KrakenEndpoint NewDepositAddress = DepositAddresses with { Writes = true };
    public static readonly KrakenEndpoint DepositStatus = PrivateRead("DepositStatus");
    public static readonly KrakenEndpoint WithdrawMethods = PrivateRead("WithdrawMethods");
    public static readonly KrakenEndpoint WithdrawAddresses = PrivateRead("WithdrawAddresses");
    public static readonly KrakenEndpoint WithdrawInfo = PrivateRead("WithdrawInfo");
    public static readonly KrakenEndpoint Withdraw = PrivateWrite("Withdraw");
    public static readonly KrakenEndpoint WithdrawStatus = PrivateRead("WithdrawStatus");
    public static readonly KrakenEndpoint WithdrawCancel = PrivateWrite("WithdrawCancel");
    public static readonly KrakenEndpoint WalletTransfer = PrivateWrite("WalletTransfer");
    public static readonly KrakenEndpoint CreateSubaccount = PrivateWrite("CreateSubaccount");
    public static readonly KrakenEndpoint AccountTransfer = PrivateWrite("AccountTransfer");

    // Earn: allocations are asynchronous writes; their status endpoints are reads.
    public static readonly KrakenEndpoint EarnStrategies = PrivateRead("Earn/Strategies");
    public static readonly KrakenEndpoint EarnAllocations = PrivateRead("Earn/Allocations");
    public static readonly KrakenEndpoint EarnAllocate = PrivateWrite("Earn/Allocate");
    public static readonly KrakenEndpoint EarnDeallocate = PrivateWrite("Earn/Deallocate");
    public static readonly KrakenEndpoint EarnAllocateStatus = PrivateRead("Earn/AllocateStatus");
    public static readonly KrakenEndpoint EarnDeallocateStatus = PrivateRead("Earn/DeallocateStatus");

    // OAuth (Kraken Connect) on the same host, outside /0/. The browser-only authorize redirect is not called by the
    // gateway and so is not listed.
    public static readonly KrakenEndpoint OAuthToken =
        new("OAuthToken", HttpMethod.Post, "/oauth/token", EndpointAuth.OAuthClient, BodyEncoding.Form, KrakenLimiter.Unknown, 0, Writes: true);
    public static readonly KrakenEndpoint OAuthUserInfo =
        new("OAuthUserInfo", HttpMethod.Get, "/oauth/userinfo", EndpointAuth.OAuthBearer, BodyEncoding.Query, KrakenLimiter.Unknown, 0, Writes: false);
    public static readonly KrakenEndpoint FastApiKeyCreate =
        new("FastApiKeyCreate", HttpMethod.Post, "/oauth/fast-api-key", EndpointAuth.OAuthBearer, BodyEncoding.Json, KrakenLimiter.Unknown, 0, Writes: true);
    public static readonly KrakenEndpoint FastApiKeyUpdate =
        new("FastApiKeyUpdate", HttpMethod.Put, "/oauth/fast-api-key", EndpointAuth.OAuthBearer, BodyEncoding.Json, KrakenLimiter.Unknown, 0, Writes: true);
    public static readonly KrakenEndpoint FastApiKeyDelete =
        new("FastApiKeyDelete", HttpMethod.Delete, "/oauth/fast-api-key", EndpointAuth.OAuthBearer, BodyEncoding.Json, KrakenLimiter.Unknown, 0, Writes: true);
    public static readonly KrakenEndpoint FastApiKeyList =
        new("FastApiKeyList", HttpMethod.Get, "/oauth/fast-api-key", EndpointAuth.OAuthBearer, BodyEncoding.Query, KrakenLimiter.Unknown, 0, Writes: false);

    /// <summary>Every endpoint above, in declaration order.</summary>
    public static IReadOnlyList<KrakenEndpoint> All { get; } =
    [
        Time, SystemStatus, Assets, AssetPairs, Ticker, Ohlc, Depth, GroupedBook, Trades, Spread, PreTrade, PostTrade,
        Balance, ExtendedBalance, CreditLines, TradeBalance, OpenOrders, ClosedOrders, QueryOrders, OrderAmends, TradesHistory,
        QueryTrades, OpenPositions, Ledgers, QueryLedgers, TradeVolume, AddExport, ExportStatus, RetrieveExport,
        RemoveExport, GetApiKeyInfo, Level3, GetWebSocketsToken,
        AddOrder, AddOrderBatch, AmendOrder, EditOrder, CancelOrder, CancelOrderBatch, CancelAll, CancelAllOrdersAfter,
        DepositMethods, DepositAddresses, DepositStatus, WithdrawMethods, WithdrawAddresses, WithdrawInfo, Withdraw,
        WithdrawStatus, WithdrawCancel, WalletTransfer, CreateSubaccount, AccountTransfer,
        EarnStrategies, EarnAllocations, EarnAllocate, EarnDeallocate, EarnAllocateStatus, EarnDeallocateStatus,
        OAuthToken, OAuthUserInfo, FastApiKeyCreate, FastApiKeyUpdate, FastApiKeyDelete, FastApiKeyList,
    ];

    private static KrakenEndpoint Public(string name) =>
        new(name, HttpMethod.Get, "/0/public/" + name, EndpointAuth.None, BodyEncoding.Query, KrakenLimiter.Public, 0, Writes: false);

    private static KrakenEndpoint PrivateRead(string name, BodyEncoding encoding = BodyEncoding.Form, int counterCost = 1) =>
        new(name, HttpMethod.Post, "/0/private/" + name, EndpointAuth.ApiKeySignature, encoding, KrakenLimiter.RestCounter, counterCost, Writes: false);

    private static KrakenEndpoint PrivateWrite(string name) =>
        new(name, HttpMethod.Post, "/0/private/" + name, EndpointAuth.ApiKeySignature, BodyEncoding.Form, KrakenLimiter.RestCounter, 1, Writes: true);

    private static KrakenEndpoint Trading(string name, BodyEncoding encoding = BodyEncoding.Form) =>
        new(name, HttpMethod.Post, "/0/private/" + name, EndpointAuth.ApiKeySignature, encoding, KrakenLimiter.TradingEngine, 0, Writes: true);
}
