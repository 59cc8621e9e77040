using KrakenGrpc.Kraken.Accounts;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Streaming;

/// <summary>The <c>Streaming</c> configuration section: how often the hub's pollers ask Kraken.</summary>
public sealed class StreamingOptions
{
    public const string Section = "Streaming";

    /// <summary>
    /// Below this a poller would mostly meet Kraken's throttles (public calls are limited per address) and spend CPU
    /// on answers that cannot have changed yet.
    /// </summary>
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a poller of a public stream asks Kraken.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest interval of a private stream's poller (open orders, balances). Every poll costs the account a
    /// point of its REST counter; not set, the floor follows the key's tier so that one private poller spends a third
    /// of what the key regains (Starter 0.33/s: every 9 s; Intermediate 0.5/s: 6 s; Pro 1/s: 3 s) and two private
    /// streams of one account leave a third for its calls.
    /// </summary>
    public TimeSpan? PrivatePollFloor { get; set; }

    /// <summary>The private poll interval for a key of <paramref name="tier"/>: the configured floor, else the tier's.</summary>
    public TimeSpan PrivatePollFloorFor(KrakenTierLimits tier) =>
        PrivatePollFloor ?? TimeSpan.FromMilliseconds(Math.Ceiling(3_000 / tier.RestCounterDecayPerSecond));
}

/// <summary>Checks the <c>Streaming</c> section at start-up, naming the setting at fault.</summary>
public sealed class StreamingOptionsValidator : IValidateOptions<StreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamingOptions options)
    {
        List<string> failures = [];
        Check(nameof(StreamingOptions.PollInterval), options.PollInterval, failures);
        if (options.PrivatePollFloor is { } floor)
        {
            Check(nameof(StreamingOptions.PrivatePollFloor), floor, failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string setting, TimeSpan value, List<string> failures)
    {
        if (value < StreamingOptions.ShortestInterval)
        {
            failures.Add($"{StreamingOptions.Section}:{setting} must be at least {StreamingOptions.ShortestInterval} (100 ms), was {value}.");
        }
    }
}
