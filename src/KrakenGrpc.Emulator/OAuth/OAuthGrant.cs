using KrakenGrpc.Emulator.Accounts;

namespace KrakenGrpc.Emulator.OAuth;

/// <summary>A one-time authorization code: what the browser's authorize step would have handed the client.</summary>
internal sealed class AuthorizationCode
{
    public required string Code { get; init; }

    public required EmulatedOAuthClient Client { get; init; }

    public required PaperAccount Account { get; init; }

    public required HashSet<string> Scopes { get; init; }

    public required string RedirectUri { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The tokens issued for it, once exchanged (a second exchange revokes them, RFC 6749 §4.1.2).</summary>
    public OAuthGrant? Exchanged { get; set; }
}

/// <summary>
/// What one client may do for one account: the scopes, and the only access and refresh token currently valid. A new
/// token (a code exchange or a refresh) replaces both, so the previous ones stop working at once (protocol.md §10).
/// </summary>
internal sealed class OAuthGrant
{
    public required EmulatedOAuthClient Client { get; init; }

    public required PaperAccount Account { get; init; }

    public required HashSet<string> Scopes { get; init; }

    public string AccessToken { get; set; } = string.Empty;

    public DateTimeOffset AccessExpiresAt { get; set; }

    public string RefreshToken { get; set; } = string.Empty;

    public DateTimeOffset RefreshExpiresAt { get; set; }

    public bool Revoked { get; set; }
}
