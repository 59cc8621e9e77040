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
    /// The shortest interval of a private stream's poller (open orders, balances): every poll costs the account a
    /// point of its REST counter, which Starter keys regain at only 0.33 per second, so private pollers wait at least
    /// this long even when <see cref="PollInterval"/> is shorter.
    /// </summary>
    public TimeSpan PrivatePollFloor { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Checks the <c>Streaming</c> section at start-up, naming the setting at fault.</summary>
public sealed class StreamingOptionsValidator : IValidateOptions<StreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamingOptions options)
    {
        List<string> failures = [];
        Check(nameof(StreamingOptions.PollInterval), options.PollInterval, failures);
        Check(nameof(StreamingOptions.PrivatePollFloor), options.PrivatePollFloor, failures);
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
