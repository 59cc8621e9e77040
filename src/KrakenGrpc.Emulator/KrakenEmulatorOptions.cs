namespace KrakenGrpc.Emulator;

/// <summary>How to start a <see cref="KrakenEmulator"/>.</summary>
public sealed class KrakenEmulatorOptions
{
    /// <summary>Kestrel address. Port 0 picks any free port (then read <see cref="KrakenEmulator.BaseAddress"/>).</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>
    /// Largest request body accepted; a bigger one is answered 413 before it is read. Kraken's own limit is not
    /// documented; no real request comes near 64 KiB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How often prices move on their own. <see cref="Timeout.InfiniteTimeSpan"/> moves them only when
    /// <see cref="EmulatedMarket.Step()"/> is called, which makes tests deterministic. Steps are at least one
    /// second apart in market time (Kraken's Spread and OHLC cursors count whole seconds), so an interval below
    /// one second runs the market clock faster than the wall clock.
    /// </summary>
    public TimeSpan PriceTickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the random walk: the same seed gives the same sequence of prices.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// The paper accounts that private calls (<c>/0/private/*</c>) authenticate against, one per API key. When the
    /// list is empty the emulator creates one sandbox account with <see cref="EmulatedAccountOptions.SandboxApiKey"/>
    /// and <see cref="EmulatedAccountOptions.SandboxApiSecret"/> and generous balances.
    /// </summary>
    public IList<EmulatedAccountOptions> Accounts { get; } = new List<EmulatedAccountOptions>();

    /// <summary>
    /// Whether Kraken's rate limits apply: the REST call counter per key, the trading counter per key and pair, and
    /// the open-order cap per pair (protocol.md §8). Off, nothing is ever refused for rate.
    /// </summary>
    public bool EnforceRateLimits { get; set; } = true;

    /// <summary>
    /// The clock of the rate counters, the dead man's switch, order deadlines and export processing (and of the
    /// market's wall-clock time). Tests pass a FakeTimeProvider to decide exactly how much time passes.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long an export (AddExport) stays "Queued" before it is "Processed" and can be retrieved.</summary>
    public TimeSpan ExportProcessingTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a withdrawal or a WalletTransfer stays "Pending" (cancellable with WithdrawCancel) before
    /// WithdrawStatus reports it "Success", on <see cref="TimeProvider"/>.
    /// </summary>
    public TimeSpan WithdrawalSettleTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an Earn allocation or deallocation stays in progress (AllocateStatus / DeallocateStatus answer
    /// <c>pending: true</c>) before it completes and the balances move, on <see cref="TimeProvider"/>.
    /// </summary>
    public TimeSpan EarnOperationTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The Kraken Connect (OAuth) clients that may exchange codes and refresh tokens at <c>/oauth/token</c>. When the
    /// list is empty the emulator registers one confidential sandbox client,
    /// <see cref="EmulatedOAuthClient.SandboxClientId"/> / <see cref="EmulatedOAuthClient.SandboxClientSecret"/>.
    /// </summary>
    public IList<EmulatedOAuthClient> OAuthClients { get; } = new List<EmulatedOAuthClient>();
}
