namespace KrakenGrpc.Emulator;

/// <summary>
/// Faults waiting to be applied, per exact request path. Faults on one path apply in the order they were
/// injected: <c>Inject(p, Status(503))</c> then <c>Inject(p, Delay(2s))</c> fails the next request and slows the
/// one after. Thread-safe.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<PendingFault>> _pending = new(StringComparer.Ordinal);

    /// <summary>Applies <paramref name="fault"/> to the next <see cref="Fault.Times"/> requests to <paramref name="path"/>.</summary>
    /// <param name="path">The exact path, e.g. "/0/public/Ticker".</param>
    /// <param name="fault">What to do.</param>
    public void Inject(string path, Fault fault)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(fault);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException("The path must start with '/', e.g. \"/0/public/Ticker\".", nameof(path));
        }

        lock (_gate)
        {
            if (!_pending.TryGetValue(path, out var queue))
            {
                queue = new Queue<PendingFault>();
                _pending[path] = queue;
            }

            queue.Enqueue(new PendingFault(fault));
        }
    }

    /// <summary>How many requests to <paramref name="path"/> will still be faulted.</summary>
    public int Remaining(string path)
    {
        lock (_gate)
        {
            return _pending.TryGetValue(path, out var queue) ? queue.Sum(f => f.Remaining) : 0;
        }
    }

    /// <summary>Drops every pending fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _pending.Clear();
        }
    }

    /// <summary>The fault for a request that just arrived at <paramref name="path"/>, if any; uses up one of its times.</summary>
    internal Fault? TakeNext(string path)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(path, out var queue))
            {
                return null;
            }

            var head = queue.Peek();
            head.Remaining--;
            if (head.Remaining == 0)
            {
                queue.Dequeue();
                if (queue.Count == 0)
                {
                    _pending.Remove(path);
                }
            }

            return head.Fault;
        }
    }

    private sealed class PendingFault(Fault fault)
    {
        public Fault Fault { get; } = fault;

        public int Remaining { get; set; } = fault.Times;
    }
}
