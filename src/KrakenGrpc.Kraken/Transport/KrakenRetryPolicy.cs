using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Responses;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace KrakenGrpc.Kraken.Transport;

/// <summary>
/// Decides whether the resilience pipeline may send a request again. The answer comes from the catalogue, not the
/// HTTP verb (every private call is a POST, reads included): reads are retried on transport errors, 5xx, 429 and
/// Kraken's transient errors; writes never are.
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
        return KrakenEnvelope.ErrorsOf(body) is [var first, ..]
            && KrakenErrorTable.Classify(first, DateTimeOffset.UtcNow).TransientForReads;
    }
}
