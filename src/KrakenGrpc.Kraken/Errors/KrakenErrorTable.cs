using Grpc.Core;

namespace KrakenGrpc.Kraken.Errors;

/// <summary>What the gateway makes of one failure: the gRPC code, a stable reason, and whether waiting helps.</summary>
/// <param name="Code">The gRPC status code the caller receives.</param>
/// <param name="Reason">Stable UPPER_SNAKE reason for <c>google.rpc.ErrorInfo</c>.</param>
/// <param name="RetryAfter">How long the caller should wait before trying again, when waiting helps (RetryInfo).</param>
/// <param name="TransientForReads">True when a read may be retried by the gateway itself.</param>
public sealed record KrakenErrorClass(StatusCode Code, string Reason, TimeSpan? RetryAfter = null, bool TransientForReads = false);

/// <summary>
/// The one table that turns Kraken's error strings, and the gateway's own upstream failures, into gRPC statuses.
/// The README's error table is this table; keep them in step.
/// </summary>
public static class KrakenErrorTable
{
    /// <summary>The ErrorInfo domain of every status the gateway produces.</summary>
    public const string Domain = "api.kraken.com";

    /// <summary>
    /// Kraken locked the key out (too many invalid keys, signatures or nonces; about 15 minutes, support article
    /// 360001491786). The gateway then sends nothing for that key until the period is over.
    /// </summary>
    public static readonly KrakenErrorClass TemporaryLockout = new(StatusCode.Unavailable, "TEMPORARY_LOCKOUT", TimeSpan.FromMinutes(15));

    /// <summary>Kraken refused a nonce; the request was not carried out, so it is re-signed and sent once more.</summary>
    public static readonly KrakenErrorClass InvalidNonce = new(StatusCode.Unauthenticated, "INVALID_NONCE");

    /// <summary>
    /// Kraken's concurrency throttle ("EService:Throttled: &lt;unix time&gt;"): the key's calls wait until that second
    /// when the caller's deadline allows, and are otherwise refused with the time in RetryInfo.
    /// </summary>
    public static readonly KrakenErrorClass Throttled = new(StatusCode.ResourceExhausted, "THROTTLED", TimeSpan.FromSeconds(1));

    /// <summary>Kraken failed inside ("EGeneral:Internal error", "EDatabase:Internal error"): a read may be asked again, a write's fate is unknown.</summary>
    public static readonly KrakenErrorClass KrakenInternalError = new(StatusCode.Unavailable, "KRAKEN_INTERNAL_ERROR", TimeSpan.FromSeconds(1));

    // Kraken's strings, matched by prefix ("EGeneral:Invalid arguments:volume" is an invalid argument); the longest
    // matching prefix wins, so specific entries may sit anywhere. Sources: protocol.md §7.
    private static readonly (string Prefix, KrakenErrorClass Class)[] KrakenErrors =
    [
        ("EGeneral:Invalid arguments", new(StatusCode.InvalidArgument, "INVALID_ARGUMENTS")),
        ("EGeneral:Invalid arguments:Index unavailable", new(StatusCode.FailedPrecondition, "INDEX_UNAVAILABLE")),
        ("EGeneral:Invalid arguments:Invalid strategy ID", new(StatusCode.NotFound, "UNKNOWN_EARN_STRATEGY")),
        ("EGeneral:Permission denied", new(StatusCode.PermissionDenied, "PERMISSION_DENIED")),
        ("EGeneral:Temporary lockout", TemporaryLockout),
        ("EGeneral:Internal error", KrakenInternalError),
        ("EGeneral:Unknown method", new(StatusCode.Unimplemented, "UNKNOWN_METHOD")),
        ("EGeneral:Too many requests", new(StatusCode.ResourceExhausted, "TOO_MANY_REQUESTS", TimeSpan.FromSeconds(1), TransientForReads: true)),
        ("EAPI:Invalid key", new(StatusCode.Unauthenticated, "INVALID_KEY")),
        ("EAPI:Invalid signature", new(StatusCode.Unauthenticated, "INVALID_SIGNATURE")),
        ("EAPI:Invalid nonce", InvalidNonce),
        ("EAPI:Invalid token", new(StatusCode.Unauthenticated, "INVALID_TOKEN")),
        ("EAPI:Permission denied", new(StatusCode.PermissionDenied, "PERMISSION_DENIED")),
        ("EAPI:Rate limit exceeded", new(StatusCode.ResourceExhausted, "RATE_LIMIT_EXCEEDED", TimeSpan.FromSeconds(3))),
        ("EAuth:Account temporary disabled", new(StatusCode.PermissionDenied, "ACCOUNT_DISABLED")),
        ("EAuth:Account unconfirmed", new(StatusCode.PermissionDenied, "ACCOUNT_UNCONFIRMED")),
        ("EAuth:Rate limit exceeded", new(StatusCode.ResourceExhausted, "RATE_LIMIT_EXCEEDED", TimeSpan.FromSeconds(3))),
        ("EAuth:Too many requests", new(StatusCode.ResourceExhausted, "TOO_MANY_REQUESTS", TimeSpan.FromSeconds(3))),
        ("ESession:Invalid session", new(StatusCode.Unauthenticated, "INVALID_SESSION")),
        ("EAccount:Invalid permissions", new(StatusCode.PermissionDenied, "PERMISSION_DENIED")),
        ("EQuery:Unknown asset pair", new(StatusCode.NotFound, "UNKNOWN_ASSET_PAIR")),
        ("EQuery:Invalid asset pair", new(StatusCode.InvalidArgument, "INVALID_ASSET_PAIR")),
        ("EQuery:Unknown asset", new(StatusCode.NotFound, "UNKNOWN_ASSET")),
        ("EOrder:Cannot open opposing position", new(StatusCode.FailedPrecondition, "MARGIN_NOT_ALLOWED")),
        ("EOrder:Cannot open position", new(StatusCode.FailedPrecondition, "MARGIN_NOT_ALLOWED")),
        ("EOrder:Margin allowance exceeded", new(StatusCode.FailedPrecondition, "MARGIN_ALLOWANCE_EXCEEDED")),
        ("EOrder:Margin level too low", new(StatusCode.FailedPrecondition, "MARGIN_LEVEL_TOO_LOW")),
        ("EOrder:Margin position size exceeded", new(StatusCode.FailedPrecondition, "MARGIN_POSITION_SIZE_EXCEEDED")),
        ("EOrder:Insufficient margin", new(StatusCode.FailedPrecondition, "INSUFFICIENT_MARGIN")),
        ("EOrder:Insufficient funds", new(StatusCode.FailedPrecondition, "INSUFFICIENT_FUNDS")),
        ("EOrder:Order minimum not met", new(StatusCode.InvalidArgument, "ORDER_MINIMUM_NOT_MET")),
        ("EOrder:Cost minimum not met", new(StatusCode.InvalidArgument, "COST_MINIMUM_NOT_MET")),
        ("EOrder:Tick size check failed", new(StatusCode.InvalidArgument, "TICK_SIZE_CHECK_FAILED")),
        ("EOrder:Invalid price", new(StatusCode.InvalidArgument, "INVALID_PRICE")),
        ("EOrder:Orders limit exceeded", new(StatusCode.ResourceExhausted, "OPEN_ORDERS_LIMIT_EXCEEDED")),
        ("EOrder:Rate limit exceeded", new(StatusCode.ResourceExhausted, "TRADING_RATE_LIMIT_EXCEEDED", TimeSpan.FromSeconds(1))),
        ("EOrder:Domain rate limit exceeded", new(StatusCode.ResourceExhausted, "DOMAIN_RATE_LIMIT_EXCEEDED", TimeSpan.FromSeconds(1))),
        ("EOrder:Scheduled orders limit exceeded", new(StatusCode.ResourceExhausted, "SCHEDULED_ORDERS_LIMIT_EXCEEDED")),
        ("EOrder:Positions limit exceeded", new(StatusCode.FailedPrecondition, "POSITIONS_LIMIT_EXCEEDED")),
        ("EOrder:Reduce only:Non-PC", new(StatusCode.InvalidArgument, "REDUCE_ONLY_NOT_ALLOWED")),
        ("EOrder:Reduce only:No position exists", new(StatusCode.FailedPrecondition, "REDUCE_ONLY_NO_POSITION")),
        ("EOrder:Reduce only:Position is closed", new(StatusCode.FailedPrecondition, "REDUCE_ONLY_POSITION_CLOSED")),
        ("EOrder:Unknown position", new(StatusCode.NotFound, "UNKNOWN_POSITION")),
        ("EOrder:Unknown order", new(StatusCode.NotFound, "UNKNOWN_ORDER")),
        ("EOrder:Invalid order", new(StatusCode.NotFound, "UNKNOWN_ORDER")),
        ("ETrade:Invalid request", new(StatusCode.InvalidArgument, "INVALID_REQUEST")),
        ("ETrade:User Locked", new(StatusCode.PermissionDenied, "ACCOUNT_LOCKED")),
        ("EFunding:Max fee exceeded", new(StatusCode.FailedPrecondition, "MAX_FEE_EXCEEDED")),
        ("EFunding:Unknown withdraw key", new(StatusCode.NotFound, "UNKNOWN_WITHDRAW_KEY")),
        ("EFunding:Invalid amount", new(StatusCode.InvalidArgument, "INVALID_AMOUNT")),
        ("EFunding:No funding method", new(StatusCode.InvalidArgument, "NO_FUNDING_METHOD")),
        ("EFunding:Unknown asset", new(StatusCode.NotFound, "UNKNOWN_ASSET")),
        ("EFunding:Insufficient funds", new(StatusCode.FailedPrecondition, "INSUFFICIENT_FUNDS")),
        ("EService:Unavailable", new(StatusCode.Unavailable, "SERVICE_UNAVAILABLE", TimeSpan.FromSeconds(1), TransientForReads: true)),
        ("EService:Busy", new(StatusCode.Unavailable, "SERVICE_BUSY", TimeSpan.FromSeconds(1), TransientForReads: true)),
        ("EService:Market in cancel_only mode", new(StatusCode.FailedPrecondition, "MARKET_CANCEL_ONLY")),
        ("EService:Market in post_only mode", new(StatusCode.FailedPrecondition, "MARKET_POST_ONLY")),
        ("EService:Deadline elapsed", new(StatusCode.DeadlineExceeded, "KRAKEN_DEADLINE_ELAPSED")),
        ("EService:Throttled", Throttled),
        ("EService: Throttled", Throttled),
        ("EDatabase:Internal error", KrakenInternalError),
        ("EBM:limit exceeded:CAL", new(StatusCode.FailedPrecondition, "ACQUISITION_LIMIT_EXCEEDED")),
        ("EEarnings:Below min", new(StatusCode.InvalidArgument, "EARN_BELOW_MINIMUM")),
        ("EEarnings:Busy", new(StatusCode.Unavailable, "EARN_BUSY", TimeSpan.FromMinutes(1))),
        ("EEarnings:Busy:Another", new(StatusCode.FailedPrecondition, "EARN_OPERATION_IN_PROGRESS")),
        ("EEarnings:Permission denied", new(StatusCode.PermissionDenied, "EARN_TIER_TOO_LOW")),
        ("EEarnings:Insufficient funds", new(StatusCode.FailedPrecondition, "INSUFFICIENT_FUNDS")),
        ("EEarnings:Above max", new(StatusCode.FailedPrecondition, "EARN_ABOVE_MAXIMUM")),
    ];

    // An error string the table does not know is still classified by its category, so a new Kraken message never
    // turns into an unhelpful UNKNOWN when its category already says what the caller should do.
    private static readonly (string Category, StatusCode Code)[] Categories =
    [
        ("EAPI", StatusCode.Unauthenticated),
        ("EAuth", StatusCode.Unauthenticated),
        ("ESession", StatusCode.Unauthenticated),
        ("EAccount", StatusCode.PermissionDenied),
        ("EQuery", StatusCode.InvalidArgument),
        ("EOrder", StatusCode.FailedPrecondition),
        ("ETrade", StatusCode.FailedPrecondition),
        ("EFunding", StatusCode.FailedPrecondition),
        ("EEarnings", StatusCode.FailedPrecondition),
        ("EBM", StatusCode.FailedPrecondition),
        ("EService", StatusCode.Unavailable),
        ("EDatabase", StatusCode.Unavailable),
    ];

    /// <summary>Kraken answered with an error the table does not know, in a category it does not know either.</summary>
    public static readonly KrakenErrorClass UnknownKrakenError = new(StatusCode.Unknown, "KRAKEN_ERROR");

    // The gateway's own upstream failures: they have no Kraken string.

    /// <summary>Kraken could not be reached (connection refused or reset, DNS).</summary>
    public static readonly KrakenErrorClass UpstreamUnreachable = new(StatusCode.Unavailable, "UPSTREAM_UNREACHABLE", TimeSpan.FromSeconds(1), TransientForReads: true);

    /// <summary>Kraken answered with a 5xx (or Cloudflare 52x) status: it may or may not have acted on a write.</summary>
    public static readonly KrakenErrorClass UpstreamServerError = new(StatusCode.Unavailable, "UPSTREAM_SERVER_ERROR", TimeSpan.FromSeconds(1), TransientForReads: true);

    /// <summary>Kraken answered HTTP 429.</summary>
    public static readonly KrakenErrorClass UpstreamTooManyRequests = new(StatusCode.ResourceExhausted, "TOO_MANY_REQUESTS", TimeSpan.FromSeconds(1), TransientForReads: true);

    /// <summary>Kraken answered with an unexpected HTTP status and no error we could read.</summary>
    public static readonly KrakenErrorClass UpstreamUnexpectedStatus = new(StatusCode.Internal, "UPSTREAM_UNEXPECTED_STATUS");

    /// <summary>Kraken did not answer within the gateway's per-attempt timeout.</summary>
    public static readonly KrakenErrorClass UpstreamTimeout = new(StatusCode.DeadlineExceeded, "UPSTREAM_TIMEOUT");

    /// <summary>Kraken's answer could not be read (not JSON, or not the shape its documentation gives).</summary>
    public static readonly KrakenErrorClass UnreadableResponse = new(StatusCode.Internal, "UNREADABLE_RESPONSE");

    /// <summary>A private call for an account with no credentials configured.</summary>
    public static readonly KrakenErrorClass AccountNotConfigured = new(StatusCode.FailedPrecondition, "ACCOUNT_NOT_CONFIGURED");

    /// <summary>A call named an account (<c>kraken-account</c>) that is not configured.</summary>
    public static readonly KrakenErrorClass UnknownAccount = new(StatusCode.InvalidArgument, "UNKNOWN_ACCOUNT");

    /// <summary>
    /// The request is larger than Kraken takes (a query past common servers' 8 KB request line, a body past 64 KiB):
    /// a caller's mistake, refused before sending. ErrorInfo's <c>field</c> names the largest parameter.
    /// </summary>
    public static readonly KrakenErrorClass RequestTooLarge = new(StatusCode.InvalidArgument, "REQUEST_TOO_LARGE");

    /// <summary>The request's bytes are not a valid protobuf message of its type (truncated, invalid UTF-8, wrong wire type).</summary>
    public static readonly KrakenErrorClass MalformedRequest = new(StatusCode.InvalidArgument, "MALFORMED_REQUEST");

    /// <summary>Gateway tokens are configured and a private call came without <c>authorization: Bearer</c>.</summary>
    public static readonly KrakenErrorClass GatewayTokenMissing = new(StatusCode.Unauthenticated, "GATEWAY_TOKEN_MISSING");

    /// <summary>The caller's gateway token is not one of the configured tokens.</summary>
    public static readonly KrakenErrorClass GatewayTokenInvalid = new(StatusCode.Unauthenticated, "GATEWAY_TOKEN_INVALID");

    /// <summary>The caller's gateway token may not use the account the call names.</summary>
    public static readonly KrakenErrorClass AccountNotAllowed = new(StatusCode.PermissionDenied, "ACCOUNT_NOT_ALLOWED");

    /// <summary>
    /// The account's rate budget cannot take the call before the caller's deadline; RetryInfo says when it can. The
    /// call was not sent, so Kraken's counter was not touched.
    /// </summary>
    public static readonly KrakenErrorClass RateBudgetExhausted = new(StatusCode.ResourceExhausted, "RATE_BUDGET_EXHAUSTED");

    /// <summary>A public call cannot fit its endpoint's request budget before its deadline (<c>Kraken:PublicBudget</c>); not sent.</summary>
    public static readonly KrakenErrorClass PublicBudgetExhausted = new(StatusCode.ResourceExhausted, "PUBLIC_RATE_BUDGET_EXHAUSTED");

    /// <summary>
    /// Replicas share each key's turn and nonce through Redis (<c>Coordination:Redis</c>), and Redis cannot be reached:
    /// a signed call is refused unsent rather than risk a nonce. Public calls go on.
    /// </summary>
    public static readonly KrakenErrorClass CoordinationUnavailable = new(StatusCode.Unavailable, "COORDINATION_UNAVAILABLE", TimeSpan.FromSeconds(1));

    /// <summary>An order would exceed Kraken's open-orders cap on its pair (checked against Kraken's own list first).</summary>
    public static readonly KrakenErrorClass OpenOrdersCapReached = new(StatusCode.ResourceExhausted, "OPEN_ORDERS_LIMIT_EXCEEDED");

    /// <summary>An OAuth call without the gateway's client registration (<c>Kraken:OAuth:ClientId</c>) configured.</summary>
    public static readonly KrakenErrorClass OAuthNotConfigured = new(StatusCode.FailedPrecondition, "OAUTH_NOT_CONFIGURED");

    /// <summary>An OAuth call for a user without the user's access token in the request.</summary>
    public static readonly KrakenErrorClass OAuthTokenMissing = new(StatusCode.Unauthenticated, "OAUTH_TOKEN_MISSING");

    /// <summary>Kraken's OAuth server refused the grant or request (RFC 6749 <c>invalid_grant</c>, <c>invalid_request</c>...).</summary>
    public static readonly KrakenErrorClass OAuthRefused = new(StatusCode.InvalidArgument, "OAUTH_REFUSED");

    /// <summary>Kraken's OAuth server did not accept the token or the gateway's client credentials (HTTP 401).</summary>
    public static readonly KrakenErrorClass OAuthUnauthenticated = new(StatusCode.Unauthenticated, "OAUTH_UNAUTHENTICATED");

    /// <summary>The token lacks the scope the call needs (HTTP 403).</summary>
    public static readonly KrakenErrorClass OAuthForbidden = new(StatusCode.PermissionDenied, "OAUTH_INSUFFICIENT_SCOPE");

    /// <summary>
    /// A write (an order, a cancel, a withdrawal...) was sent but its answer was lost (5xx, timeout, dropped
    /// connection, unreadable body): it may or may not have been carried out. It is never sent again by the gateway,
    /// and no RetryInfo invites the caller to; the caller looks it up first.
    /// </summary>
    public static readonly KrakenErrorClass WriteOutcomeUnknown = new(StatusCode.Unknown, "OUTCOME_UNKNOWN");

    /// <summary>
    /// An order's answer was lost and the order could not be found by its <c>cl_ord_id</c> in time: it may or may not
    /// exist. It was not sent again; the caller checks with the <c>cl_ord_id</c> before placing it anew.
    /// </summary>
    public static readonly KrakenErrorClass OrderOutcomeUnknown = new(StatusCode.Unknown, "ORDER_OUTCOME_UNKNOWN");

    /// <summary>Classifies one Kraken error string (<c>EOrder:Insufficient funds</c>).</summary>
    public static KrakenErrorClass Classify(string krakenError, DateTimeOffset now)
    {
        KrakenErrorClass? best = null;
        var bestLength = -1;
        foreach (var (prefix, errorClass) in KrakenErrors)
        {
            if (prefix.Length > bestLength && krakenError.StartsWith(prefix, StringComparison.Ordinal))
            {
                best = errorClass;
                bestLength = prefix.Length;
            }
        }
        if (best is not null)
        {
            // "EService:Throttled: 1700000000" names the second from which Kraken accepts calls again.
            return best == Throttled && ThrottledUntil(krakenError) is { } until && until > now
                ? best with { RetryAfter = until - now }
                : best;
        }

        var separator = krakenError.IndexOf(':', StringComparison.Ordinal);
        var category = separator > 0 ? krakenError[..separator] : krakenError;
        foreach (var (known, code) in Categories)
        {
            if (string.Equals(category, known, StringComparison.Ordinal))
            {
                return new KrakenErrorClass(code, "KRAKEN_ERROR");
            }
        }
        return UnknownKrakenError;
    }

    private static DateTimeOffset? ThrottledUntil(string krakenError)
    {
        var digits = krakenError[(krakenError.LastIndexOf(':') + 1)..].Trim();
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    /// <summary>Every entry of the table with the Kraken prefix it matches, for documentation and tests.</summary>
    public static IEnumerable<(string KrakenPrefix, KrakenErrorClass Class)> Entries => KrakenErrors;
}
