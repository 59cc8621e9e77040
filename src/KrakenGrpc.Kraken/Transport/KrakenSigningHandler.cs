using System.Net.Http.Headers;
using System.Text;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Lanes;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Signing;
using KrakenGrpc.Kraken.Telemetry;

namespace KrakenGrpc.Kraken.Transport;

/// <summary>
/// Signs each attempt of a private call. It sits below the retry strategy, so a retried read is charged to the rate
/// budget again and signed anew with a fresh nonce, and above the per-attempt timeout, so waiting for the key's turn or
/// for budget is bounded by the caller's deadline, not by the attempt timeout. Public calls pass untouched.
/// </summary>
internal sealed class KrakenSigningHandler(AccountLanes lanes, KrakenTelemetry telemetry) : DelegatingHandler
{
    private static readonly MediaTypeHeaderValue FormContentType = new("application/x-www-form-urlencoded");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    // Public calls go straight on, without an async step of their own.
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(KrakenRequestOptions.Account, out var account)
            ? SendSignedAsync(request, account, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendSignedAsync(HttpRequestMessage request, KrakenAccount account, CancellationToken cancellationToken)
    {
        var endpoint = request.Options.TryGetValue(KrakenRequestOptions.Endpoint, out var e) ? e : throw new InvalidOperationException("A signed request lacks its endpoint.");
        var parameters = request.Options.TryGetValue(KrakenRequestOptions.Parameters, out var p) ? p : new KrakenParameters();
        DateTimeOffset? deadline = request.Options.TryGetValue(KrakenRequestOptions.Deadline, out var d) ? d : null;
        var lane = lanes.For(account);

        ILaneTurn turn;
        try
        {
            turn = await lane.EnterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LaneCoordinationException unreachable)
        {
            throw unreachable.Unsent(endpoint);
        }
        await using var _ = turn.ConfigureAwait(false);
        long nonce;
        try
        {
            // Charged inside the key's turn, just before sending: Kraken's counter starts from a call's arrival, and a
            // call charged while it still queued behind others would let the model decay a cost Kraken has not yet
            // seen (on an idle counter Kraken does not decay at all), and the call after it arrive over the maximum.
            await telemetry.MeasureBudgetWaitAsync(account, () => lane.WaitForBudgetAsync(endpoint, parameters, deadline, cancellationToken)).ConfigureAwait(false);
            // The nonce is taken inside the key's turn, so nonces reach Kraken in the order they were issued.
            nonce = await turn.NextNonceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LaneCoordinationException unreachable)
        {
            throw unreachable.Unsent(endpoint);
        }
        var body = endpoint.Encoding == BodyEncoding.Json
            ? KrakenRequestEncoder.EncodeJson(parameters, nonce)
            : Encoding.UTF8.GetBytes(KrakenRequestEncoder.EncodeForm(parameters, nonce));
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = endpoint.Encoding == BodyEncoding.Json ? JsonContentType : FormContentType } };
        request.Headers.Remove("API-Key");
        request.Headers.Remove("API-Sign");
        request.Headers.TryAddWithoutValidation("API-Key", account.ApiKey);
        request.Headers.TryAddWithoutValidation("API-Sign", KrakenSigner.Sign(account.Secret, endpoint.Path, nonce, body));

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
