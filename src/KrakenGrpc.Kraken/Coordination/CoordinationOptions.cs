namespace KrakenGrpc.Kraken.Coordination;

/// <summary>The <c>Coordination</c> configuration section: how replicas share each API key's state.</summary>
public sealed class CoordinationOptions
{
    public const string Section = "Coordination";

    /// <summary>
    /// A StackExchange.Redis connection string (<c>redis:6379,password=…</c>). Unset: every lane lives in this process,
    /// which is right for one replica. Set on every replica that shares API keys.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>What every Redis key of the gateway starts with, so that one Redis can serve other things too.</summary>
    public string KeyPrefix { get; set; } = "krakengrpc";

    /// <summary>
    /// How long a replica's turn to send for a key lasts in Redis unless renewed (it is renewed while the request is
    /// in flight): the longest a replica that dies mid-request can hold up the key's other callers.
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
}
