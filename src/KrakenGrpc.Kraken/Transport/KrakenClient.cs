using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Lanes;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Kraken.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Text;
using System.Text.Json;
using Polly.Timeout;

namespace KrakenGrpc.Kraken.Transport;

/// <summary>
/// Sends one catalogued call to Kraken and returns the parsed envelope. Retries of reads happen below, in the
/// HttpClient's resilience pipeline (see <see cref="KrakenRetryPolicy"/>); every failure leaves here as a
/// <see cref="KrakenException"/> carrying its classification.
/// </summary>
public sealed partial class KrakenClient(
    HttpClient http, IOptions<KrakenOptions> options, AccountLanes lanes, PublicBudget publicBudget, KrakenTelemetry telemetry, TimeProvider time, ILogger<KrakenClient> logger)
{
    // Kraken documents no size limits. Common HTTP servers refuse request lines past 8 KB (the path needs some of
    // it), and no real body comes near 64 KiB: anything larger is a caller's mistake and is refused unsent.
    private const int MaxQueryLength = 6_000;
    private const int MaxBodyBytes = 64 * 1024;

    private readonly string _baseAddress = options.Value.BaseUrl.ToString().TrimEnd('/');

    /// <summary>Calls a public endpoint with its parameters in the query string.</summary>
    /// <param name="deadline">When the caller needs the answer: a wait for the public budget beyond it is refused.</param>
    public async Task<KrakenResponse> SendPublicAsync(KrakenEndpoint endpoint, KrakenParameters parameters, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (endpoint.Auth != EndpointAuth.None)
        {
            throw new ArgumentException($"{endpoint.Name} needs credentials and cannot be sent as a public call.", nameof(endpoint));
        }

        var query = KrakenRequestEncoder.EncodeForm(parameters);
        EnsureFits(endpoint, parameters, query.Length, MaxQueryLength, "query string");
        await publicBudget.WaitAsync(endpoint, deadline, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(endpoint.Method, _baseAddress + endpoint.Path + (query.Length > 0 ? "?" + query : string.Empty));
        request.Options.Set(KrakenRequestOptions.Endpoint, endpoint);
        return await telemetry.MeasureCallAsync(endpoint, account: null, () => SendAsync(endpoint, request, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls a private endpoint for <paramref name="account"/>. The body is encoded, nonced and signed per attempt by
    /// <see cref="KrakenSigningHandler"/>, after the account's rate budget and turn allow it.
    /// </summary>
    public async Task<KrakenResponse> SendPrivateAsync(
        KrakenEndpoint endpoint, KrakenParameters parameters, KrakenAccount account, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        EnsureBodyFits(endpoint, parameters);
        var trading = lanes.For(account).Trading;
        try
        {
            if (await trading.MayExceedOpenOrdersAsync(endpoint, parameters).ConfigureAwait(false))
            {
                await CheckOpenOrdersCapAsync(endpoint, parameters, account, deadline, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (LaneCoordinationException unreachable)
        {
            throw unreachable.Unsent(endpoint);
        }

        var response = await telemetry.MeasureCallAsync(endpoint, account,
            () => SendSignedAsync(endpoint, parameters, account, deadline, request => SendAsync(endpoint, request, cancellationToken))).ConfigureAwait(false);
        if (endpoint.Limiter == KrakenLimiter.TradingEngine || endpoint == KrakenEndpoints.CancelAll)
        {
            try
            {
                await trading.RecordAsync(endpoint, parameters, response.Result).ConfigureAwait(false);
            }
            catch (LaneCoordinationException unreachable)
            {
                // Kraken carried the call out: its answer goes to the caller. Only the pricing of later amends and
                // cancels of these orders is lost; Kraken's own refusal covers them.
                LogOrdersNotRecorded(logger, endpoint.Name, unreachable.Message);
            }
        }
        return response;
    }

    // The gateway's count of open orders cannot see fills; before refusing an order for the cap, ask Kraken.
    private async Task CheckOpenOrdersCapAsync(
        KrakenEndpoint endpoint, KrakenParameters parameters, KrakenAccount account, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var trading = lanes.For(account).Trading;
        using (var open = await SendPrivateAsync(KrakenEndpoints.OpenOrders, new KrakenParameters(), account, deadline, cancellationToken).ConfigureAwait(false))
        {
            await trading.ReplaceOpenOrdersAsync(open.Result).ConfigureAwait(false);
        }
        if (await trading.MayExceedOpenOrdersAsync(endpoint, parameters).ConfigureAwait(false))
        {
            var limit = lanes.For(account).Limits.MaxOpenOrdersPerPair;
            throw new KrakenException(KrakenErrorTable.OpenOrdersCapReached, endpoint.Name,
                $"{endpoint.Name} would exceed Kraken's limit of {limit} open orders on {parameters.Text("pair")} for account '{account.Name}'; it was not sent. Cancel or wait for fills first.");
        }
    }

    /// <summary>
    /// Calls a private endpoint that answers with a file (RetrieveExport's ZIP) and returns the open download, whose
    /// bytes are passed on unchanged. A JSON answer is Kraken's error envelope and is thrown as such.
    /// </summary>
    public async Task<HttpResponseMessage> DownloadPrivateAsync(
        KrakenEndpoint endpoint, KrakenParameters parameters, KrakenAccount account, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        EnsureBodyFits(endpoint, parameters);
        return await telemetry.MeasureCallAsync(endpoint, account, () => SendSignedAsync(endpoint, parameters, account, deadline, async request =>
        {
            var response = await ExchangeAsync(endpoint, request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                return response;
            }

            using (response)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw FailedStatus(endpoint, (int)response.StatusCode, body);
                }
                using var envelope = KrakenEnvelope.Parse(endpoint.Name, body, time);
                throw new KrakenException(KrakenErrorTable.UnreadableResponse, endpoint.Name, $"Kraken answered {endpoint.Name} with JSON instead of a file.");
            }
        })).ConfigureAwait(false);
    }

    // The nonce and signature add a few dozen bytes per attempt; the parameters are what can be too large.
    private static void EnsureBodyFits(KrakenEndpoint endpoint, KrakenParameters parameters) =>
        EnsureFits(endpoint, parameters,
            endpoint.Encoding == BodyEncoding.Json ? KrakenRequestEncoder.EncodeJson(parameters).Length : Encoding.UTF8.GetByteCount(KrakenRequestEncoder.EncodeForm(parameters)),
            MaxBodyBytes, "body");

    private static void EnsureFits(KrakenEndpoint endpoint, KrakenParameters parameters, int size, int limit, string part)
    {
        if (size <= limit)
        {
            return;
        }
        var largest = parameters.Largest() ?? string.Empty;
        throw new KrakenException(KrakenErrorTable.RequestTooLarge, endpoint.Name,
            $"{endpoint.Name}'s {part} would be {size} bytes, more than the {limit} Kraken can be sent; the largest parameter is '{largest}'. It was not sent.",
            details: new Dictionary<string, string> { ["field"] = largest });
    }

    /// <summary>
    /// Sends a signed call and applies what Kraken says about the key itself. A refused nonce means the request was
    /// not carried out, so it is signed anew and sent once more. A lockout pauses the key's lane; a throttle pauses it
    /// until the second Kraken names and the call goes again if its deadline allows. A write whose answer is lost
    /// becomes <see cref="KrakenErrorTable.WriteOutcomeUnknown"/>: it is never sent again.
    /// </summary>
    private async Task<T> SendSignedAsync<T>(
        KrakenEndpoint endpoint, KrakenParameters parameters, KrakenAccount account, DateTimeOffset? deadline, Func<HttpRequestMessage, Task<T>> send)
    {
        var lane = lanes.For(account);
        var resigned = false;
        for (var throttled = 0; ; )
        {
            using var request = PrivateRequest(endpoint, parameters, account, deadline);
            try
            {
                return await send(request).ConfigureAwait(false);
            }
            catch (KrakenException refused) when (refused.ErrorClass == KrakenErrorTable.InvalidNonce && !resigned)
            {
                LogInvalidNonce(logger, endpoint.Name, account.Name);
                resigned = true;
            }
            catch (KrakenException refused) when (refused.ErrorClass.Reason == KrakenErrorTable.TemporaryLockout.Reason && refused.KrakenErrors.Count > 0)
            {
                var period = refused.ErrorClass.RetryAfter ?? KrakenErrorTable.TemporaryLockout.RetryAfter!.Value;
                LogLockout(logger, account.Name, period.TotalMinutes);
                await lane.PauseUntilAsync(time.GetUtcNow() + period, LanePauseKind.Lockout).ConfigureAwait(false);
                throw;
            }
            catch (KrakenException refused) when (refused.ErrorClass.Reason == KrakenErrorTable.Throttled.Reason && refused.KrakenErrors.Count > 0)
            {
                // The lane now holds every call of this key until then; the next attempt waits there or is refused.
                var wait = refused.ErrorClass.RetryAfter ?? KrakenErrorTable.Throttled.RetryAfter!.Value;
                await lane.PauseUntilAsync(time.GetUtcNow() + wait, LanePauseKind.Throttle).ConfigureAwait(false);
                if (++throttled > MaxThrottledAttempts)
                {
                    throw;
                }
            }
            catch (KrakenException lost) when (endpoint.Writes && IsAnswerLost(lost.ErrorClass))
            {
                throw new KrakenException(KrakenErrorTable.WriteOutcomeUnknown, endpoint.Name,
                    $"{endpoint.Name} was sent but its answer was lost ({lost.Message}); it may or may not have been carried out. The gateway did NOT send it again: look it up before sending it anew.",
                    lost.KrakenErrors, lost, new Dictionary<string, string> { ["lost_answer"] = lost.ErrorClass.Reason });
            }
        }
    }

    // Calls a throttle may hold up before the caller is told when to come back.
    private const int MaxThrottledAttempts = 2;

    // The request may have reached Kraken and been carried out; only the answer is missing. Kraken's own "internal
    // error" says as little about a write's fate as a 500 does (protocol.md §7: ambiguous for writes).
    private static bool IsAnswerLost(KrakenErrorClass failure) =>
        failure == KrakenErrorTable.UpstreamServerError
        || failure == KrakenErrorTable.UpstreamTimeout
        || failure == KrakenErrorTable.UpstreamUnreachable
        || failure == KrakenErrorTable.UnreadableResponse
        || failure.Reason == KrakenErrorTable.KrakenInternalError.Reason;

    /// <summary>
    /// Calls a Kraken Connect (OAuth) endpoint: the token exchange with the gateway's client credentials (HTTP Basic),
    /// or a user's call with that user's access token (Bearer). Neither credential is logged or echoed.
    /// </summary>
    public async Task<KrakenResponse> SendOAuthAsync(KrakenEndpoint endpoint, KrakenParameters parameters, string? accessToken, CancellationToken cancellationToken)
    {
        var oauth = options.Value.OAuth;
        var address = (oauth.BaseUrl?.ToString().TrimEnd('/') ?? _baseAddress) + endpoint.Path;
        if (endpoint.Encoding == BodyEncoding.Query)
        {
            EnsureFits(endpoint, parameters, KrakenRequestEncoder.EncodeForm(parameters).Length, MaxQueryLength, "query string");
        }
        else
        {
            EnsureBodyFits(endpoint, parameters);
        }
        using var request = endpoint.Encoding switch
        {
            BodyEncoding.Query => new HttpRequestMessage(endpoint.Method, parameters.Count > 0 ? address + "?" + KrakenRequestEncoder.EncodeForm(parameters) : address),
            BodyEncoding.Form => new HttpRequestMessage(endpoint.Method, address)
            {
                Content = new StringContent(KrakenRequestEncoder.EncodeForm(parameters), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
            },
            _ => new HttpRequestMessage(endpoint.Method, address)
            {
                Content = new ByteArrayContent(KrakenRequestEncoder.EncodeJson(parameters)) { Headers = { ContentType = new("application/json") } },
            },
        };
        request.Options.Set(KrakenRequestOptions.Endpoint, endpoint);
        request.Headers.Authorization = endpoint.Auth switch
        {
            EndpointAuth.OAuthClient when !string.IsNullOrWhiteSpace(oauth.ClientId) =>
                new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{oauth.ClientId}:{oauth.ClientSecret}"))),
            EndpointAuth.OAuthClient => throw new KrakenException(KrakenErrorTable.OAuthNotConfigured, endpoint.Name,
                "The gateway has no Kraken Connect client configured: set Kraken:OAuth:ClientId (and ClientSecret for a confidential client)."),
            EndpointAuth.OAuthBearer when !string.IsNullOrWhiteSpace(accessToken) => new("Bearer", accessToken.Trim()),
            EndpointAuth.OAuthBearer => throw new KrakenException(KrakenErrorTable.OAuthTokenMissing, endpoint.Name,
                "This call acts for a Kraken user: send the user's OAuth access token in the 'kraken-oauth-token' metadata."),
            _ => throw new ArgumentException($"{endpoint.Name} is not an OAuth endpoint.", nameof(endpoint)),
        };

        return await telemetry.MeasureCallAsync(endpoint, account: null, async () =>
        {
            using var response = await ExchangeAsync(endpoint, request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw OAuthFailure(endpoint, (int)response.StatusCode, body);
            }
            return KrakenEnvelope.ParseOAuth(endpoint.Name, body, time);
        }).ConfigureAwait(false);
    }

    // RFC 6749 errors: {"error":"invalid_grant","error_description":"..."} with a 4xx status.
    private KrakenException OAuthFailure(KrakenEndpoint endpoint, int status, byte[] body)
    {
        var (error, description) = OAuthError(body);
        if (error is null)
        {
            return FailedStatus(endpoint, status, body);
        }
        LogFailedStatus(logger, endpoint.Name, status);
        var errorClass = status switch
        {
            401 => KrakenErrorTable.OAuthUnauthenticated,
            403 => KrakenErrorTable.OAuthForbidden,
            429 => KrakenErrorTable.UpstreamTooManyRequests,
            >= 500 => KrakenErrorTable.UpstreamServerError,
            _ => KrakenErrorTable.OAuthRefused,
        };
        var text = description is null ? error : $"{error}: {description}";
        return new KrakenException(errorClass, endpoint.Name, $"Kraken's OAuth server refused {endpoint.Name} (HTTP {status}): {text}", [text]);
    }

    private static (string? Error, string? Description) OAuthError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? (error.GetString(), root.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String ? description.GetString() : null)
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private async Task<KrakenResponse> SendAsync(KrakenEndpoint endpoint, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await ExchangeAsync(endpoint, request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw FailedStatus(endpoint, (int)response.StatusCode, body);
        }
        return KrakenEnvelope.Parse(endpoint.Name, body, time);
    }

    private HttpRequestMessage PrivateRequest(KrakenEndpoint endpoint, KrakenParameters parameters, KrakenAccount account, DateTimeOffset? deadline)
    {
        if (endpoint.Auth != EndpointAuth.ApiKeySignature)
        {
            throw new ArgumentException($"{endpoint.Name} is not signed with an API key.", nameof(endpoint));
        }

        var request = new HttpRequestMessage(endpoint.Method, _baseAddress + endpoint.Path);
        request.Options.Set(KrakenRequestOptions.Endpoint, endpoint);
        request.Options.Set(KrakenRequestOptions.Account, account);
        request.Options.Set(KrakenRequestOptions.Parameters, parameters);
        if (deadline is { } end)
        {
            request.Options.Set(KrakenRequestOptions.Deadline, end);
        }
        return request;
    }

    private async Task<HttpResponseMessage> ExchangeAsync(KrakenEndpoint endpoint, HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(logger, endpoint.Name, e.HttpRequestError);
            throw new KrakenException(KrakenErrorTable.UpstreamUnreachable, endpoint.Name, $"Kraken could not be reached for {endpoint.Name}.", innerException: e);
        }
        catch (TimeoutRejectedException e)
        {
            LogTimedOut(logger, endpoint.Name);
            throw new KrakenException(KrakenErrorTable.UpstreamTimeout, endpoint.Name, $"Kraken did not answer {endpoint.Name} in time.", innerException: e);
        }
    }

    private KrakenException FailedStatus(KrakenEndpoint endpoint, int status, byte[] body)
    {
        LogFailedStatus(logger, endpoint.Name, status);
        // Kraken sometimes explains a non-200 answer in an envelope (404 "EGeneral:Unknown method"); prefer its words.
        var errors = KrakenEnvelope.ErrorsOf(body);
        if (errors.Count > 0)
        {
            return KrakenEnvelope.Refused(endpoint.Name, errors, time);
        }

        var errorClass = status switch
        {
            429 => KrakenErrorTable.UpstreamTooManyRequests,
            >= 500 => KrakenErrorTable.UpstreamServerError,
            _ => KrakenErrorTable.UpstreamUnexpectedStatus,
        };
        return new KrakenException(errorClass, endpoint.Name, $"Kraken answered {endpoint.Name} with HTTP {status}.");
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Kraken could not be reached for {Endpoint}: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string endpoint, HttpRequestError error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Kraken did not answer {Endpoint} within the request timeout")]
    private static partial void LogTimedOut(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Kraken refused the nonce of {Endpoint} for account {Account}; signing it anew and sending it once more")]
    private static partial void LogInvalidNonce(ILogger logger, string endpoint, string account);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Kraken locked out the API key of account {Account}; no call is sent for it for {Minutes} minutes")]
    private static partial void LogLockout(ILogger logger, string account, double minutes);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "{Endpoint} succeeded, but the orders it changed could not be recorded: {Problem}")]
    private static partial void LogOrdersNotRecorded(ILogger logger, string endpoint, string problem);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Kraken answered {Endpoint} with HTTP {Status}")]
    private static partial void LogFailedStatus(ILogger logger, string endpoint, int status);
}
