namespace KrakenGrpc.Emulator;

/// <summary>
/// What arrived at the emulator's Kraken paths (the <c>/_emulator/</c> control paths are not logged). Counts are
/// totals since start or the last <see cref="Clear"/>; the requests themselves are bounded to the most recent
/// <see cref="Capacity"/> so a long sandbox session does not grow without limit. Thread-safe.
/// </summary>
public sealed class EmulatorRequestLog
{
    /// <summary>How many requests are kept for <see cref="For"/> and <see cref="Recent"/>.</summary>
    public const int Capacity = 10_000;

    // Distinct paths counted; beyond this a client probing random paths stops adding entries.
    private const int MaxDistinctPaths = 10_000;

    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _recent = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Requests received in all, on any path.</summary>
    public int TotalCount
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>How many requests reached exactly <paramref name="path"/> (e.g. "/0/public/Ticker").</summary>
    public int Count(string path)
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault(path);
        }
    }

    /// <summary>The kept requests to exactly <paramref name="path"/>, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> For(string path)
    {
        lock (_gate)
        {
            return _recent.Where(r => string.Equals(r.Path, path, StringComparison.Ordinal)).ToArray();
        }
    }

    /// <summary>Every kept request, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Recent()
    {
        lock (_gate)
        {
            return _recent.ToArray();
        }
    }

    /// <summary>Request counts per path, as served by <c>GET /_emulator/requests</c>.</summary>
    public IReadOnlyDictionary<string, int> CountsByPath()
    {
        lock (_gate)
        {
            return new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);
        }
    }

    /// <summary>Forgets every request and count.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _recent.Clear();
            _counts.Clear();
            _total = 0;
        }
    }

    internal void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            if (_recent.Count == Capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(request);
            _total++;
            if (_counts.TryGetValue(request.Path, out var count))
            {
                _counts[request.Path] = count + 1;
            }
            else if (_counts.Count < MaxDistinctPaths)
            {
                _counts[request.Path] = 1;
            }
        }
    }
}
