using KrakenGrpc.Emulator.Auth;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Accounts;

/// <summary>
/// One API key of a paper account: its secret, nonces, REST call counter and permissions (Kraken counts nonces and
/// REST calls per key, protocol.md §3, §8.1). A configured account has one; Fast API keys made over OAuth are more
/// keys on the same account, each with its own nonces and counter. Not thread-safe: used under the emulator's gate.
/// </summary>
internal class ApiCredential(PaperAccount account, string key, byte[] secret, string name, NonceTracker nonces, DecayingCounter restCounter, long createdSeconds)
{
    public PaperAccount Account { get; } = account;

    /// <summary>The public key, sent in the API-Key header.</summary>
    public string Key { get; } = key;

    /// <summary>The decoded secret (the HMAC key of API-Sign).</summary>
    public byte[] Secret { get; } = secret;

    /// <summary>The key's name (GetApiKeyInfo "apiKeyName", a Fast API key's "api_key_name").</summary>
    public string Name { get; set; } = name;

    public NonceTracker Nonces { get; } = nonces;

    public DecayingCounter RestCounter { get; } = restCounter;

    /// <summary>Kraken's permission names (<see cref="KeyPermissions"/>); null: all of them.</summary>
    public HashSet<string>? Permissions { get; set; }

    /// <summary>Unix seconds of the last authenticated call (GetApiKeyInfo's lastUsed).</summary>
    public long? LastUsedSeconds { get; set; }

    public long CreatedSeconds { get; } = createdSeconds;

    public long ModifiedSeconds { get; set; } = createdSeconds;

    /// <summary>Unix seconds after which the key no longer works; 0: never.</summary>
    public long ValidUntil { get; set; }

    /// <summary>Unix seconds bounding what queries may cover; 0: unbounded (stored and reported, not enforced).</summary>
    public long QueryFrom { get; set; }

    public long QueryTo { get; set; }

    /// <summary>IP addresses or CIDR ranges allowed to use the key (stored and reported; loopback callers are not checked).</summary>
    public List<string> IpAllowlist { get; set; } = [];

    /// <summary>The permissions granted, in Kraken's order.</summary>
    public IEnumerable<string> PermissionNames => KeyPermissions.All.Where(p => Permissions is null || Permissions.Contains(p));

    public bool HasPermission(string permission) => Permissions is null || Permissions.Contains(permission);

    /// <summary>Whether the key has expired by <paramref name="nowSeconds"/> (its valid_until passed).</summary>
    public bool IsExpired(long nowSeconds) => ValidUntil > 0 && nowSeconds >= ValidUntil;
}

/// <summary>A Fast API key created through <c>/oauth/fast-api-key</c> on behalf of the account's holder.</summary>
internal sealed class FastApiKey(PaperAccount account, string key, byte[] secret, string name, NonceTracker nonces, DecayingCounter restCounter, long createdSeconds, string id, string oauthClient)
    : ApiCredential(account, key, secret, name, nonces, restCounter, createdSeconds)
{
    /// <summary>Kraken's id of the key (modified base64).</summary>
    public string Id { get; } = id;

    /// <summary>The OAuth client that created it; only that client lists, changes or deletes it.</summary>
    public string OAuthClient { get; } = oauthClient;

    /// <summary>What Kraken calls the key's purpose: "standard" for every Fast API key.</summary>
    public const string Purpose = "standard";
}
