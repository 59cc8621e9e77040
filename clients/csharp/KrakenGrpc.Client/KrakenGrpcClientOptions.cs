namespace KrakenGrpc.Client;

/// <summary>
/// Where the gateway is and what every call tells it. One set of options serves every service client, so a process
/// talks to one gateway as one caller; for a per-call choice, set the metadata on that call (it wins).
/// </summary>
public sealed class KrakenGrpcClientOptions
{
    /// <summary>
    /// The gateway's address. <c>http://</c> speaks HTTP/2 without TLS (h2c), as the gateway serves plaintext
    /// addresses; <c>https://</c> uses TLS.
    /// </summary>
    public Uri? Address { get; set; }

    /// <summary>
    /// Sent as <c>authorization: Bearer &lt;token&gt;</c> on every call when set. It travels in clear text over an
    /// <c>http://</c> address: use TLS (or a mesh that encrypts) wherever the network is not your own.
    /// </summary>
    public string? GatewayToken { get; set; }

    /// <summary>
    /// The configured gateway account that signs private calls (<c>kraken-account</c> metadata) when set; the
    /// gateway's default account otherwise.
    /// </summary>
    public string? Account { get; set; }
}
