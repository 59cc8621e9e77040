using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace KrakenGrpc.Kraken.Transport;

/// <summary>
/// Bounds each attempt's exchange with Kraken by <c>Kraken:RequestTimeout</c>. It is the innermost handler, below the
/// signing, so waiting for the key's turn or budget never counts against it. An attempt that runs out of time fails
/// with Polly's <see cref="TimeoutRejectedException"/>, which the retry predicate treats as transient and
/// <see cref="KrakenClient"/> reports as UPSTREAM_TIMEOUT; the caller's own cancellation passes through as it is.
/// A handler rather than a second resilience pipeline: the timeout is one timed token, while a pipeline of its own ran
/// every attempt through Polly's strategy layers and telemetry events on top of that.
/// </summary>
internal sealed class KrakenAttemptTimeout(IOptions<KrakenOptions> options, TimeProvider time) : DelegatingHandler
{
    private readonly TimeSpan _timeout = options.Value.RequestTimeout;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var attempt = new CancellationTokenSource(_timeout, time);
        using var _ = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), attempt);
        try
        {
            return await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutRejectedException($"Kraken did not answer within {_timeout}.", _timeout, cancelled);
        }
    }
}
