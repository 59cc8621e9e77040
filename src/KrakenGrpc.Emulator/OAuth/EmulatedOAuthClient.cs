namespace KrakenGrpc.Emulator;

/// <summary>
/// A Kraken Connect (OAuth 2.0) client registered with the emulator: the id and secret it sends to
/// <c>/oauth/token</c> as <c>Authorization: Basic base64(client_id:client_secret)</c>.
/// </summary>
/// <param name="ClientId">The client id.</param>
/// <param name="ClientSecret">The secret; empty for a public client (which sends <c>client_id:</c>).</param>
public sealed record EmulatedOAuthClient(string ClientId, string ClientSecret)
{
    /// <summary>The client the emulator registers when none is configured (what <c>--sandbox</c> should use).</summary>
    public const string SandboxClientId = "kraken-grpc-sandbox-client";

    /// <summary>The sandbox client's secret. Not a secret: it only opens the emulator.</summary>
    public const string SandboxClientSecret = "kraken-grpc-sandbox-client-secret-7Qm2vX9pL4";

    /// <summary>A public client (no secret): its access tokens last 4 hours instead of 24 (protocol.md §10).</summary>
    public bool IsPublic => string.IsNullOrEmpty(ClientSecret);

    internal static EmulatedOAuthClient Sandbox() => new(SandboxClientId, SandboxClientSecret);
}
