namespace KrakenGrpc.Emulator.Auth;

/// <summary>
/// The nonces one API key has used (protocol.md §3). Without a window a nonce must be strictly above the highest
/// seen. With a window of N, a nonce not seen before is also accepted when it lies at most N below the highest
/// ("nonce amount to accept from highest nonce"), which lets slightly reordered requests through; the nonces inside
/// the window are remembered so none is accepted twice. Not thread-safe: the caller holds the emulator's gate.
/// </summary>
internal sealed class NonceTracker(long window)
{
    private readonly SortedSet<ulong> _insideWindow = [];

    /// <summary>
    /// Nonces below this are refused whatever the window: set when the window changes (a Fast API key update), since
    /// nonces that fell out of the old window were forgotten and a wider window must not let them in again.
    /// </summary>
    private ulong _floor;

    /// <summary>The highest nonce accepted so far (0 before the first call).</summary>
    public ulong Highest { get; private set; }

    public long Window { get; private set; } = Math.Max(0, window);

    /// <summary>Accepts and records <paramref name="nonce"/>, or answers false (EAPI:Invalid nonce).</summary>
    public bool TryAccept(ulong nonce)
    {
        if (nonce > Highest)
        {
            Highest = nonce;
            if (Window > 0)
            {
                _insideWindow.Add(nonce);
                var floor = Highest > (ulong)Window ? Highest - (ulong)Window : 0;
                while (_insideWindow.Count > 0 && _insideWindow.Min < floor)
                {
                    _insideWindow.Remove(_insideWindow.Min);
                }
            }

            return true;
        }

        if (Window == 0 || Highest - nonce > (ulong)Window || nonce < _floor)
        {
            return false;
        }

        // Inside the window: accepted once.
        return _insideWindow.Add(nonce);
    }

    /// <summary>Changes the window from now on; nonces the old window no longer remembered stay refused.</summary>
    public void ChangeWindow(long window)
    {
        var oldFloor = Window == 0 ? Highest + 1 : (Highest > (ulong)Window ? Highest - (ulong)Window : 0);
        _floor = Math.Max(_floor, oldFloor);
        Window = Math.Max(0, window);
    }
}
