using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Hosting;

/// <summary>
/// The <c>Limits</c> section: how much one caller can ask of the gateway. The defaults fit a gateway serving a
/// trading platform's services; each is a setting because a deployment behind a proxy may want others.
/// </summary>
public sealed class GatewayLimits
{
    public const string Section = "Limits";

    /// <summary>Largest request message accepted (bigger ones get RESOURCE_EXHAUSTED, nothing is sent). No Kraken request comes close.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest response message sent: Kraken's biggest answers (all asset pairs, a 500-level book) are around 1 MB.</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Concurrent HTTP/2 streams (calls, including open market-data streams) per connection.</summary>
    public int MaxStreamsPerConnection { get; set; } = 200;

    /// <summary>A connection idle this long gets an HTTP/2 PING, so dead peers of long streams are noticed.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A PING unanswered this long closes the connection.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>On shutdown, how long in-flight unary calls may take to finish (streams end at once with UNAVAILABLE).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Stops start-up on a limit that cannot work, naming the setting (Kestrel's own error would not).</summary>
    public void EnsureValid()
    {
        List<string> failures = [];
        Positive(nameof(MaxRequestBytes), MaxRequestBytes);
        Positive(nameof(MaxResponseBytes), MaxResponseBytes);
        Positive(nameof(MaxStreamsPerConnection), MaxStreamsPerConnection);
        Positive(nameof(KeepAlivePingDelay), KeepAlivePingDelay.Ticks);
        Positive(nameof(KeepAlivePingTimeout), KeepAlivePingTimeout.Ticks);
        if (ShutdownTimeout < TimeSpan.Zero)
        {
            failures.Add($"{Section}:{nameof(ShutdownTimeout)} must not be negative, was {ShutdownTimeout}.");
        }
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(GatewayLimits), failures);
        }

        void Positive(string name, long value)
        {
            if (value <= 0)
            {
                failures.Add($"{Section}:{name} must be positive, was {value}.");
            }
        }
    }
}
