namespace KrakenGrpc.Kraken.Catalogue;

/// <summary>How Kraken authenticates a call to an endpoint.</summary>
public enum EndpointAuth
{
    /// <summary>No credentials: <c>/0/public/*</c>.</summary>
    None,

    /// <summary>API-Key and API-Sign headers with a nonce in the body: <c>/0/private/*</c>.</summary>
    ApiKeySignature,

    /// <summary>HTTP Basic with the gateway's OAuth client id and secret: the token exchange.</summary>
    OAuthClient,

    /// <summary>The caller's OAuth access token as a Bearer header: user info and Fast API keys.</summary>
    OAuthBearer,
}

/// <summary>Where the parameters travel and how they are encoded.</summary>
public enum BodyEncoding
{
    /// <summary>In the query string of a GET (public endpoints, OAuth reads).</summary>
    Query,

    /// <summary><c>application/x-www-form-urlencoded</c> body: the default for private calls.</summary>
    Form,

    /// <summary><c>application/json</c> body: AddOrderBatch, CancelOrderBatch, Level3 and the Fast API key writes.</summary>
    Json,
}

/// <summary>Which of Kraken's rate limiters a call is charged to.</summary>
public enum KrakenLimiter
{
    /// <summary>Kraken's per-address throttle of public endpoints (undocumented figures).</summary>
    Public,

    /// <summary>The per-API-key REST call counter (cost in <see cref="KrakenEndpoint.CounterCost"/>).</summary>
    RestCounter,

    /// <summary>The per-pair matching-engine counter of order calls.</summary>
    TradingEngine,

    /// <summary>No documented limiter (OAuth).</summary>
    Unknown,
}

/// <summary>
/// One Kraken endpoint, declared once. Everything the request pipeline decides per call (verb, encoding, signing,
/// rate budget, whether a lost answer may be re-sent) is read from here, never from the HTTP method.
/// </summary>
/// <param name="Name">Kraken's name for the endpoint, as in the API reference (<c>Ticker</c>, <c>Earn/Allocate</c>).</param>
/// <param name="Method">The HTTP verb Kraken expects.</param>
/// <param name="Path">The path below the base address, e.g. <c>/0/public/Ticker</c>; also the signed URI path.</param>
/// <param name="Auth">How the call is authenticated.</param>
/// <param name="Encoding">How parameters are encoded.</param>
/// <param name="Limiter">The rate limiter the call is charged to.</param>
/// <param name="CounterCost">Points added to the REST call counter (2 for ledger and trade history, 0 off-counter).</param>
/// <param name="Writes">
/// True when the call changes state (orders, money, keys, exports). Such a call is never re-sent blindly after a
/// lost answer; reads may be retried.
/// </param>
public sealed record KrakenEndpoint(
    string Name,
    HttpMethod Method,
    string Path,
    EndpointAuth Auth,
    BodyEncoding Encoding,
    KrakenLimiter Limiter,
    int CounterCost,
    bool Writes)
{
    /// <summary>True when the call may be repeated after a transient failure without risk of doing it twice.</summary>
    public bool IsRetryable => !Writes;
}
