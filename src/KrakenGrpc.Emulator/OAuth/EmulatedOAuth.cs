using System.Security.Cryptography;
using System.Text;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.OAuth;

namespace KrakenGrpc.Emulator;

/// <summary>
/// The emulator's Kraken Connect (OAuth 2.0) server state: registered clients, authorization codes, and the tokens
/// issued for them (protocol.md §10). The browser authorize step is not emulated: tests and the sandbox get a code
/// from <see cref="IssueAuthorizationCode"/> (or <c>POST /_emulator/oauth/code</c>) and exchange it at
/// <c>/oauth/token</c>. Thread-safe: all state sits behind the market's gate, like the accounts it acts on.
/// </summary>
public sealed class EmulatedOAuth
{
    /// <summary>The scope <c>/oauth/userinfo</c> needs.</summary>
    public const string UserInfoScope = "account.info:basic";

    /// <summary>The scope creating, changing and deleting Fast API keys needs.</summary>
    public const string FastApiKeyWriteScope = "account.fast-api-key:write";

    /// <summary>The scope listing Fast API keys needs.</summary>
    public const string FastApiKeyReadScope = "account.fast-api-key:read";

    /// <summary>How long a code may wait for its exchange (RFC 6749 §4.1.2 recommends at most 10 minutes; Kraken's is undocumented).</summary>
    public static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Access tokens of confidential clients last 24 hours (protocol.md §10).</summary>
    public static readonly TimeSpan ConfidentialAccessTokenLifetime = TimeSpan.FromHours(24);

    /// <summary>Access tokens of public clients last 4 hours (protocol.md §10).</summary>
    public static readonly TimeSpan PublicAccessTokenLifetime = TimeSpan.FromHours(4);

    /// <summary>Refresh tokens last 30 days (protocol.md §10).</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(30);

    private readonly Dictionary<string, EmulatedOAuthClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OAuthGrant> _byAccessToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OAuthGrant> _byRefreshToken = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ClientId, PaperAccount Account), OAuthGrant> _grants = [];
    private readonly AccountRegistry _accounts;
    private readonly Lock _gate;
    private readonly TimeProvider _clock;

    internal EmulatedOAuth(IEnumerable<EmulatedOAuthClient> clients, AccountRegistry accounts, Lock gate, TimeProvider clock)
    {
        _accounts = accounts;
        _gate = gate;
        _clock = clock;
        var configured = clients.ToList();
        if (configured.Count == 0)
        {
            configured.Add(EmulatedOAuthClient.Sandbox());
        }

        foreach (var client in configured)
        {
            ArgumentNullException.ThrowIfNull(client);
            ArgumentException.ThrowIfNullOrWhiteSpace(client.ClientId);
            if (client.ClientId.Contains(':', StringComparison.Ordinal))
            {
                // HTTP Basic splits user and password at the first colon.
                throw new ArgumentException($"OAuth client id '{client.ClientId}' contains ':', which HTTP Basic cannot carry.", nameof(clients));
            }

            if (!_clients.TryAdd(client.ClientId, client with { ClientSecret = client.ClientSecret ?? string.Empty }))
            {
                throw new ArgumentException($"OAuth client '{client.ClientId}' is configured twice.", nameof(clients));
            }
        }
    }

    /// <summary>Every scope Kraken Connect defines (protocol.md §10).</summary>
    public static IReadOnlyList<string> KnownScopes { get; } =
    [
        "account.fast-api-key:funds-query", "account.fast-api-key:funds-add", "account.fast-api-key:funds-withdraw",
        "account.fast-api-key:funds-earn", "account.fast-api-key:trades-query-open", "account.fast-api-key:trades-query-closed",
        "account.fast-api-key:trades-modify", "account.fast-api-key:trades-close", "account.fast-api-key:ledger-query",
        "account.fast-api-key:export-data", FastApiKeyWriteScope, FastApiKeyReadScope, UserInfoScope,
    ];

    /// <summary>The registered client ids.</summary>
    public IReadOnlyList<string> ClientIds
    {
        get
        {
            lock (_gate)
            {
                return _clients.Keys.ToArray();
            }
        }
    }

    /// <summary>
    /// What the authorize redirect would carry: a one-time code for <paramref name="clientId"/> to act, within
    /// <paramref name="scopes"/>, for the account of <paramref name="accountApiKey"/>. Exchange it at <c>/oauth/token</c>
    /// with the same <paramref name="redirectUri"/> within <see cref="AuthorizationCodeLifetime"/>.
    /// </summary>
    /// <param name="clientId">A registered client.</param>
    /// <param name="accountApiKey">The API key of a configured account (the user who "logged in").</param>
    /// <param name="scopes">Scopes from <see cref="KnownScopes"/>; none means all of them, as Kraken's authorize does.</param>
    /// <param name="redirectUri">The redirect URI the token request must repeat.</param>
    /// <exception cref="ArgumentException">Unknown client, unknown scope, or no redirect URI.</exception>
    /// <exception cref="KeyNotFoundException">No account has this API key.</exception>
    public string IssueAuthorizationCode(string clientId, string accountApiKey, IEnumerable<string> scopes, string redirectUri)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(accountApiKey);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentException.ThrowIfNullOrWhiteSpace(redirectUri);
        var wanted = scopes.SelectMany(s => (s ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.FirstOrDefault(s => !KnownScopes.Contains(s, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new ArgumentException($"Unknown scope '{unknown}'.", nameof(scopes));
        }

        if (wanted.Count == 0)
        {
            wanted = KnownScopes.ToHashSet(StringComparer.Ordinal);
        }

        lock (_gate)
        {
            var client = _clients.GetValueOrDefault(clientId) ?? throw new ArgumentException($"No OAuth client '{clientId}' is registered.", nameof(clientId));
            var account = _accounts.Find(accountApiKey) ?? throw new KeyNotFoundException($"No emulated account has the API key '{accountApiKey}'.");
            var code = NewToken();
            _codes[code] = new AuthorizationCode
            {
                Code = code,
                Client = client,
                Account = account,
                Scopes = wanted,
                RedirectUri = redirectUri,
                ExpiresAt = _clock.GetUtcNow() + AuthorizationCodeLifetime,
            };
            return code;
        }
    }

    // ------------------------------------------------------------------ for the /oauth endpoints (caller holds the gate)

    internal DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>The client named by an <c>Authorization: Basic</c> header whose secret matches, or null.</summary>
    internal EmulatedOAuthClient? AuthenticateClient(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined.
        var id = Uri.UnescapeDataString(decoded[..colon]);
        var secret = Uri.UnescapeDataString(decoded[(colon + 1)..]);
        if (!_clients.TryGetValue(id, out var client))
        {
            return null;
        }

        // Constant time, as a real server compares secrets.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(client.ClientSecret)) ? client : null;
    }

    /// <summary>
    /// Exchanges a code: single use, for the client it was issued to, with the same redirect URI, before it expires.
    /// Null and the reason when refused (invalid_grant).
    /// </summary>
    internal OAuthGrant? ExchangeCode(EmulatedOAuthClient client, string code, string? redirectUri, out string? refusal)
    {
        refusal = null;
        if (!_codes.TryGetValue(code, out var issued) || issued.Client != client)
        {
            refusal = "The authorization code is unknown or was issued to another client.";
            return null;
        }

        if (issued.Exchanged is { } earlier)
        {
            // A replayed code may be stolen: the tokens it gave stop working too.
            Revoke(earlier);
            refusal = "The authorization code was already used.";
            return null;
        }

        if (Now >= issued.ExpiresAt)
        {
            refusal = "The authorization code has expired.";
            return null;
        }

        if (!string.Equals(redirectUri, issued.RedirectUri, StringComparison.Ordinal))
        {
            refusal = "redirect_uri does not match the one the code was issued for.";
            return null;
        }

        var grant = Issue(client, issued.Account, issued.Scopes);
        issued.Exchanged = grant;
        return grant;
    }

    /// <summary>A refresh: new access and refresh tokens with the same scopes; the presented ones stop working.</summary>
    internal OAuthGrant? Refresh(EmulatedOAuthClient client, string refreshToken, out string? refusal)
    {
        refusal = null;
        if (!_byRefreshToken.TryGetValue(refreshToken, out var grant) || grant.Client != client || grant.Revoked)
        {
            refusal = "The refresh token is unknown, was replaced by a newer one, or belongs to another client.";
            return null;
        }

        if (Now >= grant.RefreshExpiresAt)
        {
            refusal = "The refresh token has expired.";
            return null;
        }

        return Issue(client, grant.Account, grant.Scopes);
    }

    /// <summary>The grant of a current, unexpired access token, or null.</summary>
    internal OAuthGrant? FindAccessToken(string accessToken) =>
        _byAccessToken.TryGetValue(accessToken, out var grant) && !grant.Revoked && Now < grant.AccessExpiresAt ? grant : null;

    internal static TimeSpan AccessTokenLifetime(EmulatedOAuthClient client) =>
        client.IsPublic ? PublicAccessTokenLifetime : ConfidentialAccessTokenLifetime;

    /// <summary>New tokens for (client, account), replacing the ones issued before: "a new access token immediately invalidates the previous one".</summary>
    private OAuthGrant Issue(EmulatedOAuthClient client, PaperAccount account, HashSet<string> scopes)
    {
        if (_grants.TryGetValue((client.ClientId, account), out var previous))
        {
            Revoke(previous);
        }

        var now = Now;
        var grant = new OAuthGrant
        {
            Client = client,
            Account = account,
            Scopes = scopes,
            AccessToken = NewToken(),
            AccessExpiresAt = now + AccessTokenLifetime(client),
            RefreshToken = NewToken(),
            RefreshExpiresAt = now + RefreshTokenLifetime,
        };
        _grants[(client.ClientId, account)] = grant;
        _byAccessToken[grant.AccessToken] = grant;
        _byRefreshToken[grant.RefreshToken] = grant;
        return grant;
    }

    private void Revoke(OAuthGrant grant)
    {
        grant.Revoked = true;
        _byAccessToken.Remove(grant.AccessToken);
        _byRefreshToken.Remove(grant.RefreshToken);
        if (_grants.TryGetValue((grant.Client.ClientId, grant.Account), out var current) && current == grant)
        {
            _grants.Remove((grant.Client.ClientId, grant.Account));
        }
    }

    /// <summary>An opaque token: 32 random bytes, base64url.</summary>
    private static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
