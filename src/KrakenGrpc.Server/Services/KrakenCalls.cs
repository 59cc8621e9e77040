using System.Text.Json;
using Grpc.Core;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Kraken.Transport;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// The one shape every unary RPC has: send a catalogued call, map Kraken's result to the response message, and
/// hand Kraken's warnings to the caller as trailers. The caller's deadline and cancellation travel with the call.
/// </summary>
internal static class KrakenCalls
{
    /// <summary>Trailer carrying each <c>W</c> warning Kraken attached to a successful answer.</summary>
    public const string WarningTrailer = "kraken-warning";

    public static async Task<TResponse> CallPublicAsync<TResponse>(
        this KrakenClient client,
        KrakenEndpoint endpoint,
        KrakenParameters parameters,
        Func<JsonElement, TResponse> map,
        ServerCallContext context)
    {
        using var response = await client.SendPublicAsync(endpoint, parameters, context.CancellationToken).ConfigureAwait(false);
        return MapResult(endpoint, response, map, context);
    }

    private static TResponse MapResult<TResponse>(KrakenEndpoint endpoint, KrakenResponse response, Func<JsonElement, TResponse> map, ServerCallContext context)
    {
        foreach (var warning in response.Warnings)
        {
            context.ResponseTrailers.Add(WarningTrailer, warning);
        }

        try
        {
            return map(response.Result);
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
