using System.Globalization;
using KrakenGrpc.Kraken.Transport;
using Polly.Timeout;

namespace KrakenGrpc.Kraken.Telemetry;

/// <summary>
/// Counts every HTTP exchange with Kraken, each retry included, by endpoint and result. It sits below the retries and
/// the signing (so a call refused for its rate budget is no attempt) and above the per-attempt timeout (so it sees
/// an attempt that timed out).
/// </summary>
internal sealed class KrakenAttemptCounter(KrakenTelemetry telemetry) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(KrakenRequestOptions.Endpoint, out var endpoint))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var result = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            result = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response;
        }
        catch (TimeoutRejectedException)
        {
            result = "timeout";
            throw;
        }
        catch (HttpRequestException)
        {
            result = "unreachable";
            throw;
        }
        catch (OperationCanceledException)
        {
            result = "cancelled";
            throw;
        }
        finally
        {
            telemetry.RecordAttempt(endpoint, result);
        }
    }
}
