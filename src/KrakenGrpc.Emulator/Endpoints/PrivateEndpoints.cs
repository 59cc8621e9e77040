using System.Globalization;
using System.Text.Json;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Auth;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// A private call that passed authentication: the request, the account it acts on, the API key that signed it (the
/// account's own or one of its Fast API keys), its parameters.
/// </summary>
internal sealed record PrivateCall(EmulatorRequest Request, PaperAccount Account, ApiCredential Credential)
{
    public RequestParameters Parameters => Request.Parameters;
}

internal delegate EndpointResponse PrivateHandler(PrivateCall call);

/// <summary>
/// The gate in front of every <c>/0/private/*</c> endpoint, in the order a request meets Kraken's checks:
/// <list type="number">
/// <item>API-Key names a key (an account's own or a Fast API key, not expired), else <c>EAPI:Invalid key</c>;</item>
/// <item>the body's nonce is an unsigned 64-bit integer, else <c>EAPI:Invalid nonce</c>;</item>
/// <item>API-Sign is the signature of the exact bytes received (protocol.md §2), else <c>EAPI:Invalid signature</c>;</item>
/// <item>the nonce is above the key's highest (or inside its window, unused), else <c>EAPI:Invalid nonce</c>;</item>
/// <item>the REST call counter has room for the endpoint's cost, else <c>EAPI:Rate limit exceeded</c> (the cost is
/// charged anyway, as Kraken documents that refused calls still count);</item>
/// <item>the key has the endpoint's permission (<see cref="KeyPermissions"/>), else <c>EGeneral:Permission denied</c>
/// (placed after the counter: the order of these two is not documented).</item>
/// </list>
/// The whole call, checks and handler, runs under the market's gate, so concurrent calls of one key see each
/// other's effects in nonce order and a market step never interleaves with an order.
/// </summary>
internal sealed class PrivateEndpoints(EmulatedMarket market, AccountRegistry accounts, MatchingEngine engine, EmulatorStatistics statistics)
{
    public const string Prefix = "/0/private/";

    /// <summary>Kraken's page size for ClosedOrders, TradesHistory and Ledgers.</summary>
    public const int PageSize = 50;

    public MatchingEngine Engine => engine;

    public AccountRegistry Accounts => accounts;

    public MarketCatalogue Catalogue => market.Catalogue;

    public EmulatedMarket Market => market;

    /// <summary>Adds a private endpoint with its cost on the REST call counter (0 for the order calls, protocol.md §8.1).</summary>
    public void Map(EndpointTable table, string name, int restCost, PrivateHandler handler) =>
        table.MapPrivate(Prefix + name, request => Handle(request, name, restCost, handler));

    private EndpointResponse Handle(EmulatorRequest request, string name, int restCost, PrivateHandler handler)
    {
        var apiKey = request.Headers["API-Key"].ToString();
        lock (market.Gate)
        {
            var credential = apiKey.Length == 0 ? null : accounts.FindCredential(apiKey);
            if (credential is null || credential.IsExpired(engine.Clock.GetUtcNow().ToUnixTimeSeconds()))
            {
                statistics.InvalidKey();
                return EndpointResponse.KrakenError(KrakenErrors.InvalidKey);
            }

            var account = credential.Account;

            var nonceText = request.Parameters.NonEmpty("nonce");
            if (nonceText is null || !ulong.TryParse(nonceText, NumberStyles.None, CultureInfo.InvariantCulture, out var nonce))
            {
                statistics.InvalidNonce(apiKey);
                return EndpointResponse.KrakenError(KrakenErrors.InvalidNonce);
            }

            if (!KrakenSignature.Verify(credential.Secret, request.Path, nonceText, request.Body.Span, request.Headers["API-Sign"].ToString()))
            {
                statistics.InvalidSignature(apiKey);
                return EndpointResponse.KrakenError(KrakenErrors.InvalidSignature);
            }

            if (!credential.Nonces.TryAccept(nonce))
            {
                statistics.InvalidNonce(apiKey);
                return EndpointResponse.KrakenError(KrakenErrors.InvalidNonce);
            }

            statistics.Authenticated(apiKey);
            credential.LastUsedSeconds = engine.Clock.GetUtcNow().ToUnixTimeSeconds();

            // A zero-cost call (the order calls) is never refused by this counter, even while it is above its maximum.
            if (engine.EnforceRateLimits && restCost > 0 && !credential.RestCounter.Charge(restCost))
            {
                statistics.RestRateLimited(apiKey);
                return EndpointResponse.KrakenError(KrakenErrors.RestRateLimitExceeded);
            }

            if (!KeyPermissions.Allows(name, credential.Permissions))
            {
                return EndpointResponse.KrakenError(KrakenErrors.PermissionDenied);
            }

            // Let time catch up first: scheduled orders start, expired ones expire, Earn operations complete, before
            // the call looks at them.
            engine.Sweep();
            return handler(new PrivateCall(request, account, credential));
        }
    }

    // ------------------------------------------------------------------ helpers shared by the endpoint groups

    public static EndpointResponse Ok(Action<Utf8JsonWriter> writeResult) => EndpointResponse.Ok(KrakenJson.Result(writeResult));

    public static EndpointResponse Error(string error) => EndpointResponse.KrakenError(error);

    /// <summary>An optional boolean parameter; false when present but not a boolean.</summary>
    public static bool TryBool(RequestParameters parameters, string name, bool fallback, out bool value) =>
        OrderRequestParser.TryBool(parameters[name], fallback, out value);

    /// <summary>An optional 32-bit integer (userref); false when present but not one.</summary>
    public static bool TryInt32(RequestParameters parameters, string name, out int? value)
    {
        value = null;
        var text = parameters.NonEmpty(name);
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>
    /// A start/end bound: unix seconds (fractions allowed) or the id of a record whose time is used. Null when
    /// absent; false when neither a number nor a known id.
    /// </summary>
    public static bool TryBound(string? text, Func<string, long?> timeOfId, out long? unixNanoseconds)
    {
        unixNanoseconds = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            unixNanoseconds = (long)(seconds * 1_000_000_000m);
            return true;
        }

        unixNanoseconds = timeOfId(text);
        return unixNanoseconds is not null;
    }

    /// <summary>Whether <paramref name="timeNs"/> lies in (start, end]: start exclusive, end inclusive, as Kraken's filters.</summary>
    public static bool InRange(long timeNs, long? startNs, long? endNs) =>
        (startNs is null || timeNs > startNs) && (endNs is null || timeNs <= endNs);

    /// <summary>Parses a comma list of ids, trimmed; false when empty or longer than <paramref name="max"/>.</summary>
    public static bool TryIdList(string? text, int max, out string[] ids)
    {
        ids = text is null ? [] : RequestParameters.SplitList(text).ToArray();
        return ids.Length > 0 && ids.Length <= max;
    }
}
