namespace KrakenGrpc.Server.Services;

/// <summary>The <c>PublicReads</c> section: how public market-data calls reach Kraken.</summary>
public sealed class PublicReadsOptions
{
    public const string Section = "PublicReads";

    /// <summary>
    /// Identical public calls in flight at the same moment share one upstream request and answer. Off only to measure
    /// the gateway without it, or when each caller must see its own upstream request.
    /// </summary>
    public bool Coalesce { get; set; } = true;
}
