using Grpc.Core;

namespace KrakenGrpc.Server.Services;

/// <summary>How every server-streaming RPC writes what the hub produces.</summary>
internal static class StreamWriting
{
    /// <summary>
    /// The one writer of a stream. A subscription only completes when the gateway shuts down; the client then gets
    /// UNAVAILABLE, the status that tells gRPC clients to reconnect. Kraken failures leave as exceptions, which the
    /// error interceptor turns into statuses.
    /// </summary>
    public static async Task WriteAllAsync<T>(IAsyncEnumerable<T> updates, IServerStreamWriter<T> responseStream, ServerCallContext context)
    {
        try
        {
            await foreach (var update in updates.ConfigureAwait(false))
            {
                await responseStream.WriteAsync(update, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller cancelled or went away: an ordinary end of a stream, not a failure worth a stack trace.
            return;
        }
        throw new RpcException(new Status(StatusCode.Unavailable, "The gateway is shutting down; reconnect to resume the stream."));
    }
}
