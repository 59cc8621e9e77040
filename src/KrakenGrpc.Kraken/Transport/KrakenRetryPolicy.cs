using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Responses;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace KrakenGrpc.Kraken.Transport;

/// <summary>
/// Decides whether the resilience pipeline may send a request again. The answer comes from the catalogue, not the
/// HTTP verb (every private call is a POST, reads included): reads are retried on transport errors, 5xx, 429,
/// Kraken's transient errors and answers cut short; writes never are.
/// </summary>
public static class KrakenRetryPolicy
{
    /// <summary>The retry predicate for <see cref="HttpRetryStrategyOptions.ShouldHandle"/>.</summary>
    public static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
        if (request is null || !request.Options.TryGetValue(KrakenRequestOptions.Endpoint, out var endpoint) || !endpoint.IsRetryable)
        {
            return false;
        }
        if (HttpClientResiliencePredicates.IsTransient(args.Outcome))
        {
            return true;
        }
        // Only a JSON answer can carry Kraken's error envelope; a binary download (RetrieveExport) is never buffered here.
        if (args.Outcome.Result is not { IsSuccessStatusCode: true } response || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return false;
        }

        // Kraken reports "busy" and "unavailable" inside a 200 envelope; buffering keeps the body readable afterwards.
        await response.Content.LoadIntoBufferAsync(args.Context.CancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(args.Context.CancellationToken).ConfigureAwait(false);
        if (!EndsLikeAnObject(body))
        {
            return true;
        }
        return KrakenEnvelope.ErrorsOf(body) is [var first, ..]
            && KrakenErrorTable.Classify(first, DateTimeOffset.UtcNow).TransientForReads;
    }

    // Kraken's envelope is one JSON object: a body that does not end with '}' was cut short (a proxy or a connection
    // dropping mid-answer), and a read may simply be asked again. Looking at the last byte costs nothing; a garbled
    // body that happens to end in '}' still fails to parse afterwards and reaches the caller as UNREADABLE_RESPONSE.
    private static bool EndsLikeAnObject(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimEnd(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[^1] == (byte)'}';
    }
}
