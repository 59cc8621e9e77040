using System.Diagnostics;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;

namespace KrakenGrpc.Benchmarks.Streams;

/// <summary>One message as it arrived: when (a <see cref="Stopwatch"/> timestamp), its ticker's last trade price.</summary>
internal readonly record struct Arrival(long Timestamp, string? LastPrice, bool Snapshot);

/// <summary>
/// One StreamTicker subscription read in its own loop, which records each message's arrival time and last trade
/// price. Only the loop writes <see cref="Arrivals"/>; they are read once the loop has ended.
/// </summary>
internal sealed class Subscriber
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastArrival;

    public List<Arrival> Arrivals { get; } = new(32);

    /// <summary>Why the stream ended other than by the harness's cancellation; null while it runs normally.</summary>
    public string? Failure { get; private set; }

    /// <summary>Completes with the first message (the snapshot) or when the stream ends before it.</summary>
    public Task Opened => _opened.Task;

    /// <summary>The arrival time of the newest message, 0 before the first; safe to read while the loop runs.</summary>
    public long LastArrival => Volatile.Read(ref _lastArrival);

    public async Task ReadAsync(MarketDataService.MarketDataServiceClient client, string pair, CancellationToken stop)
    {
        try
        {
            using var call = client.StreamTicker(new StreamTickerRequest { Pair = { pair } }, cancellationToken: stop);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var arrived = Stopwatch.GetTimestamp();
                var message = call.ResponseStream.Current;
                string? price = null;
                foreach (var ticker in message.Tickers.Values)
                {
                    price = ticker.LastTrade?.Price;
                }
                Arrivals.Add(new Arrival(arrived, price, message.Snapshot));
                Volatile.Write(ref _lastArrival, arrived);
                _opened.TrySetResult();
            }
            Failure = "the stream ended normally (the gateway shut down?)";
        }
        catch (RpcException) when (stop.IsCancellationRequested)
        {
            // The harness hung up.
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The harness hung up.
        }
        catch (RpcException e)
        {
            Failure = $"{e.StatusCode}: {e.Status.Detail}";
        }
        finally
        {
            _opened.TrySetResult();
        }
    }
}
