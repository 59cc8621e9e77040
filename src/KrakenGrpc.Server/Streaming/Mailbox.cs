using System.Runtime.ExceptionServices;

namespace KrakenGrpc.Server.Streaming;

/// <summary>
/// One subscriber's inbox: at most one unread update, into which newer updates are merged while the subscriber is
/// busy writing, so the poller never waits for a subscriber and a subscriber never receives a stale value. Merging
/// keeps every entry by identity (a newer version replaces an older one in place, new entries are appended), so a
/// slow subscriber of a cursor stream neither skips nor repeats an entry, up to <c>backlogLimit</c> unread entries;
/// past it the oldest are dropped and the update is marked a snapshot so the client knows it may have a gap.
/// One writer (the poller, under its lock) and one reader (the subscriber's write loop).
/// </summary>
internal sealed class Mailbox<TEntry>(Func<TEntry, object> identity, int? backlogLimit)
{
    private readonly Lock _gate = new();
    private StreamUpdate<TEntry>? _unread;
    private TaskCompletionSource? _reader;
    private bool _closed;
    private Exception? _failure;

    /// <summary>Leaves <paramref name="update"/> for the subscriber, merged with what it has not read yet.</summary>
    public void Post(StreamUpdate<TEntry> update)
    {
        TaskCompletionSource? reader;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _unread = _unread is null ? update : Merge(_unread, update);
            reader = _reader;
            _reader = null;
        }
        reader?.TrySetResult();
    }

    /// <summary>
    /// Ends the subscription after the unread update, if any: normally (<paramref name="failure"/> null), or with the
    /// failure, which the subscriber then throws.
    /// </summary>
    public void Close(Exception? failure = null)
    {
        TaskCompletionSource? reader;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _failure = failure;
            reader = _reader;
            _reader = null;
        }
        reader?.TrySetResult();
    }

    /// <summary>Waits for the next update; null once the mailbox is closed normally and read empty.</summary>
    public async ValueTask<StreamUpdate<TEntry>?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task posted;
            lock (_gate)
            {
                if (_unread is { } update)
                {
                    _unread = null;
                    return update;
                }

                if (_closed)
                {
                    if (_failure is not null)
                    {
                        ExceptionDispatchInfo.Throw(_failure);
                    }
                    return null;
                }

                // Continuations run elsewhere, so the poller never runs a subscriber's write loop under its lock.
                _reader = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                posted = _reader.Task;
            }
            await posted.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private StreamUpdate<TEntry> Merge(StreamUpdate<TEntry> unread, StreamUpdate<TEntry> next)
    {
        var merged = new OrderedDictionary<object, TEntry>(unread.Entries.Count + next.Entries.Count);
        foreach (var entry in unread.Entries)
        {
            merged[identity(entry)] = entry;
        }
        foreach (var entry in next.Entries)
        {
            merged[identity(entry)] = entry;
        }

        var overflow = backlogLimit is { } limit && merged.Count > limit ? merged.Count - limit : 0;
        var entries = merged.Values.Skip(overflow).ToArray();
        return new StreamUpdate<TEntry>(next.Pair, entries, next.Cursor, unread.IsSnapshot || next.IsSnapshot || overflow > 0);
    }
}
