namespace KrakenGrpc.Client;

/// <summary>The gateway's own request metadata and response trailers, by name.</summary>
public static class KrakenHeaders
{
    /// <summary>Request metadata naming the configured account that signs a private call.</summary>
    public const string Account = "kraken-account";

    /// <summary>Request metadata carrying a Kraken user's OAuth access token (OAuthService user calls).</summary>
    public const string OAuthToken = "kraken-oauth-token";

    /// <summary>Response trailer, one per <c>W...</c> warning Kraken attached to a successful answer.</summary>
    public const string Warning = "kraken-warning";

    /// <summary>
    /// Response trailer set to <c>true</c> when SubmitOrder's answer from Kraken was lost and the order was found
    /// by its <c>cl_ord_id</c> instead (it was placed once, not resent).
    /// </summary>
    public const string Reconciled = "kraken-reconciled";
}
