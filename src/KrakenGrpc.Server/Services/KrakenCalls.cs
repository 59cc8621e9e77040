using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// The one shape every unary RPC has: send a catalogued call (public, or signed for the account the caller names),
/// map Kraken's result to the response message, and hand Kraken's warnings to the caller as trailers. The caller's
/// deadline and cancellation travel with the call.
/// </summary>
internal sealed class KrakenCalls(KrakenClient client, KrakenAccounts accounts, PublicReadCoalescing coalescing, IOptions<PublicReadsOptions> coalesceOptions)
{
    /// <summary>Request metadata naming the configured account a private call uses (the default one when absent).</summary>
    public const string AccountHeader = "kraken-account";

    // Well under gRPC's default 4 MB message limit, large enough to keep the number of messages small.
    private const int DownloadChunkBytes = 64 * 1024;

    /// <summary>Request metadata carrying a Kraken user's OAuth access token (kept apart from <c>authorization</c>).</summary>
    public const string OAuthTokenHeader = "kraken-oauth-token";

    /// <summary>Trailer carrying each <c>W</c> warning Kraken attached to a successful answer.</summary>
    public const string WarningTrailer = "kraken-warning";

    /// <summary>
    /// Calls a public endpoint; identical calls in flight at the same moment share one upstream request and its
    /// mapped answer (<see cref="PublicReadCoalescing"/>) unless <c>PublicReads:Coalesce</c> is false.
    /// </summary>
    public async Task<TResponse> PublicAsync<TResponse>(
        KrakenEndpoint endpoint, KrakenParameters parameters, Func<JsonElement, TResponse> map, ServerCallContext context)
        where TResponse : class
    {
        if (!coalesceOptions.Value.Coalesce)
        {
            using var response = await client.SendPublicAsync(endpoint, parameters, DeadlineOf(context), context.CancellationToken).ConfigureAwait(false);
            return MapResult(endpoint, response, map, context);
        }

        var key = endpoint.Name + "?" + KrakenRequestEncoder.EncodeForm(parameters);
        // The caller who starts the shared request lends it its deadline for the public budget: callers arriving
        // while it waits share that wait, or its refusal with RetryInfo.
        var deadline = DeadlineOf(context);
        var answer = await coalescing.ShareAsync(key, async () =>
        {
            using var response = await client.SendPublicAsync(endpoint, parameters, deadline, CancellationToken.None).ConfigureAwait(false);
            return new SharedAnswer<TResponse>(Read(endpoint, response.Result, map), [.. response.Warnings]);
        }, context.CancellationToken).ConfigureAwait(false);
        AddWarnings(answer.Warnings, context);
        return answer.Response;
    }

    private sealed record SharedAnswer<TResponse>(TResponse Response, string[] Warnings);

    /// <param name="deadline">When the call must have its answer; the caller's deadline unless an earlier one is given.</param>
    public async Task<TResponse> PrivateAsync<TResponse>(
        KrakenEndpoint endpoint, KrakenParameters parameters, Func<JsonElement, TResponse> map, ServerCallContext context, DateTimeOffset? deadline = null)
    {
        using var response = await client.SendPrivateAsync(endpoint, parameters, AccountOf(context), deadline ?? DeadlineOf(context), context.CancellationToken).ConfigureAwait(false);
        return MapResult(endpoint, response, map, context);
    }

    /// <summary>
    /// Calls a Kraken Connect (OAuth) endpoint. User calls carry the user's access token from the
    /// <c>kraken-oauth-token</c> metadata; the token exchange uses the gateway's own client credentials.
    /// </summary>
    public async Task<TResponse> OAuthAsync<TResponse>(
        KrakenEndpoint endpoint, KrakenParameters parameters, Func<JsonElement, TResponse> map, ServerCallContext context)
    {
        var token = endpoint.Auth == EndpointAuth.OAuthBearer ? context.RequestHeaders.GetValue(OAuthTokenHeader) : null;
        using var response = await client.SendOAuthAsync(endpoint, parameters, token, context.CancellationToken).ConfigureAwait(false);
        return MapResult(endpoint, response, map, context);
    }

    /// <summary>
    /// Calls a private endpoint that answers with a file and copies its bytes, unchanged, to the caller in chunks.
    /// </summary>
    public async Task DownloadAsync<TChunk>(
        KrakenEndpoint endpoint, KrakenParameters parameters, Func<ByteString, TChunk> chunk, IServerStreamWriter<TChunk> stream, ServerCallContext context)
    {
        using var download = await client.DownloadPrivateAsync(endpoint, parameters, AccountOf(context), DeadlineOf(context), context.CancellationToken).ConfigureAwait(false);
        await using var content = await download.Content.ReadAsStreamAsync(context.CancellationToken).ConfigureAwait(false);
        var buffer = new byte[DownloadChunkBytes];
        int read;
        while ((read = await content.ReadAsync(buffer, context.CancellationToken).ConfigureAwait(false)) > 0)
        {
            await stream.WriteAsync(chunk(ByteString.CopyFrom(buffer, 0, read)), context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The account named by the call's <c>kraken-account</c> metadata, or the default account.</summary>
    public KrakenAccount AccountOf(ServerCallContext context) => accounts.Resolve(context.RequestHeaders.GetValue(AccountHeader));

    /// <summary>The caller's deadline, or null when the call has none.</summary>
    public static DateTimeOffset? DeadlineOf(ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(context.Deadline.ToUniversalTime(), TimeSpan.Zero);

    private static TResponse MapResult<TResponse>(KrakenEndpoint endpoint, KrakenResponse response, Func<JsonElement, TResponse> map, ServerCallContext context)
    {
        AddWarnings(response.Warnings, context);
        return Read(endpoint, response.Result, map);
    }

    private static void AddWarnings(IEnumerable<string> warnings, ServerCallContext context)
    {
        foreach (var warning in warnings)
        {
            context.ResponseTrailers.Add(WarningTrailer, warning);
        }
    }

    /// <summary>
    /// Maps a result; a value of another JSON kind than Kraken documents becomes an unreadable answer (INTERNAL)
    /// naming the endpoint, never a crash. Unary calls and stream pollers read results through here.
    /// </summary>
    public static TResponse Read<TResponse>(KrakenEndpoint endpoint, JsonElement result, Func<JsonElement, TResponse> map)
    {
        try
        {
            return map(result);
        }
        catch (KrakenException e) when (e.Endpoint.Length == 0)
        {
            throw Unreadable(endpoint, e.Message, e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // JsonElement throws these when a value has another JSON kind than the documentation promises.
            throw Unreadable(endpoint, e.Message, e);
        }
    }

    private static KrakenException Unreadable(KrakenEndpoint endpoint, string problem, Exception inner) =>
        new(KrakenErrorTable.UnreadableResponse, endpoint.Name, $"Kraken's answer to {endpoint.Name} could not be read: {problem}", innerException: inner);
}
