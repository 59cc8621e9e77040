using System.Threading.Channels;
using Grpc.Core;

namespace KrakenGrpc.Tests.Streaming;

/// <summary>
/// Reads a server stream in the background into a queue, so a test can wait for the next message with a timeout, or
/// check that none came, without cancelling the call (cancelling a read cancels the whole gRPC call).
/// </summary>
public sealed class StreamRecorder<T> : IAsyncDisposable
    where T : class
{
    private readonly AsyncServerStreamingCall<T> _call;
    private readonly Channel<T> _messages = Channel.CreateUnbounded<T>();
    private readonly List<T> _received = [];
    private readonly TimeSpan _pauseAfterEach;
    private readonly Task<RpcException?> _reading;

    /// <param name="pauseAfterEach">How long to wait after each message before reading the next: a slow client.</param>
    public StreamRecorder(AsyncServerStreamingCall<T> call, TimeSpan pauseAfterEach = default)
    {
        _call = call;
        _pauseAfterEach = pauseAfterEach;
        _reading = ReadAllAsync();
    }

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<T> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>How the stream ended: null while it runs or when it completed with OK; the status otherwise.</summary>
    public Task<RpcException?> Ended => _reading;

    /// <summary>The next message not taken yet; fails the test when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<T> NextAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No {typeof(T).Name} within {timeout}; the stream {(_reading.IsCompleted ? $"ended: {_reading.Result?.Status}" : "is still open")}.");
            throw;
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"The stream ended before another {typeof(T).Name} came: {(await _reading)?.Status.ToString() ?? "OK"}.");
            throw;
        }
    }

    /// <summary>Takes messages until one satisfies <paramref name="condition"/>.</summary>
    public async Task<T> NextMatchingAsync(Func<T, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (condition(message))
            {
                return message;
            }
        }
    }

    /// <summary>Messages that arrived but were not taken yet.</summary>
    public int Pending => _messages.Reader.Count;

    public void Cancel() => _call.Dispose();

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        await _reading;
    }

    private async Task<RpcException?> ReadAllAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync())
            {
                lock (_received)
                {
                    _received.Add(message);
                }
                _messages.Writer.TryWrite(message);
                if (_pauseAfterEach > TimeSpan.Zero)
                {
                    await Task.Delay(_pauseAfterEach);
                }
            }
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
        catch (ObjectDisposedException)
        {
            // The test disposed the call while this (slow) reader paused between messages.
            return new RpcException(new Status(StatusCode.Cancelled, "The test disposed the call."));
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
