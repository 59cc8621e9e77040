using Microsoft.Extensions.Options;

namespace KrakenGrpc.Kraken.Transport;

/// <summary>Kraken's verification tiers; they size the rate budgets of an API key.</summary>
public enum KrakenTier
{
    Starter,
    Intermediate,
    Pro,
}

/// <summary>One Kraken account: an API key and its base64 secret.</summary>
public class KrakenAccountOptions
{
    /// <summary>The public API key, sent as the API-Key header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The base64 private key. It signs requests and is never sent or logged.</summary>
    public string? ApiSecret { get; set; }

    /// <summary>The account's tier.</summary>
    public KrakenTier Tier { get; set; } = KrakenTier.Starter;

    /// <summary>
    /// How many signed requests may be in flight at once. Kraken rejects a nonce lower than one it has seen, so a key
    /// without a nonce window must send one request at a time (the default); raise it only for keys configured with
    /// a nonce window.
    /// </summary>
    public int MaxInFlight { get; set; } = 1;
}

/// <summary>
/// The <c>Kraken</c> configuration section: where Kraken is, the default account and named accounts, and how
/// patiently the gateway talks to it.
/// </summary>
public sealed class KrakenOptions : KrakenAccountOptions
{
    public const string Section = "Kraken";

    /// <summary>The upstream REST base address (scheme, host, port and an optional path prefix).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.kraken.com");

    /// <summary>More accounts by name, chosen per call with the <c>kraken-account</c> metadata.</summary>
    public Dictionary<string, KrakenAccountOptions> Accounts { get; } = new(StringComparer.Ordinal);

    /// <summary>The gateway's Kraken Connect (OAuth) client, for the token exchange.</summary>
    public KrakenOAuthOptions OAuth { get; set; } = new();

    /// <summary>How long one attempt may wait for Kraken before it counts as timed out.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a read is retried after a transient failure (writes never are).</summary>
    public int MaxReadRetries { get; set; } = 2;

    /// <summary>The request budget of each public endpoint (<c>Kraken:PublicBudget</c>).</summary>
    public KrakenPublicBudgetOptions PublicBudget { get; set; } = new();
}

/// <summary>
/// The <c>Kraken:PublicBudget</c> section. Kraken documents no figure for public endpoints; third-party measurements
/// suggest a burst of about 30 and about 1 request a second per address (UNCONFIRMED, protocol.md §8.1). The
/// defaults stop a crowd of callers from flooding one endpoint while leaving room for the gateway's own pollers.
/// </summary>
public sealed class KrakenPublicBudgetOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests an endpoint may take at once.</summary>
    public int Burst { get; set; } = 30;

    /// <summary>Requests per second an endpoint regains.</summary>
    public double PerSecond { get; set; } = 5;
}

/// <summary>The <c>Kraken:OAuth</c> section: the gateway's registration as a Kraken Connect client.</summary>
public sealed class KrakenOAuthOptions
{
    /// <summary>The OAuth client id Kraken issued to this application.</summary>
    public string? ClientId { get; set; }

    /// <summary>The (decrypted) client secret; empty for a public client. Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Where <c>/oauth/*</c> lives; <c>Kraken:BaseUrl</c> when unset (Kraken serves both from one host).</summary>
    public Uri? BaseUrl { get; set; }
}

/// <summary>Checks the <c>Kraken</c> section at start-up so a bad setting stops the process, not a later call.</summary>
public sealed class KrakenOptionsValidator : IValidateOptions<KrakenOptions>
{
    public ValidateOptionsResult Validate(string? name, KrakenOptions options)
    {
        List<string> failures = [];
        if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttps && options.BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{KrakenOptions.Section}:BaseUrl must be an absolute http or https address.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{KrakenOptions.Section}:RequestTimeout must be positive.");
        }
        if (options.MaxReadRetries is < 0 or > 10)
        {
            failures.Add($"{KrakenOptions.Section}:MaxReadRetries must be between 0 and 10.");
        }
        if (options.PublicBudget.Burst < 1 || !(options.PublicBudget.PerSecond > 0))
        {
            failures.Add($"{KrakenOptions.Section}:PublicBudget: Burst must be at least 1 and PerSecond positive.");
        }

        if (options.OAuth.BaseUrl is { } oauthBase && (!oauthBase.IsAbsoluteUri || (oauthBase.Scheme != Uri.UriSchemeHttps && oauthBase.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{KrakenOptions.Section}:OAuth:BaseUrl must be an absolute http or https address.");
        }

        CheckAccount(KrakenOptions.Section, options, failures);
        foreach (var (accountName, account) in options.Accounts)
        {
            CheckAccount($"{KrakenOptions.Section}:Accounts:{accountName}", account, failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Messages name the setting, never its value: a secret must not end up in a start-up log.
    private static void CheckAccount(string path, KrakenAccountOptions account, List<string> failures)
    {
        var hasKey = !string.IsNullOrWhiteSpace(account.ApiKey);
        var hasSecret = !string.IsNullOrWhiteSpace(account.ApiSecret);
        if (hasKey != hasSecret)
        {
            failures.Add($"{path}: ApiKey and ApiSecret must be set together.");
        }
        if (hasSecret && !IsBase64(account.ApiSecret!))
        {
            failures.Add($"{path}:ApiSecret is not valid base64.");
        }
        if (account.MaxInFlight is < 1 or > 64)
        {
            failures.Add($"{path}:MaxInFlight must be between 1 and 64.");
        }
    }

    private static bool IsBase64(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written > 0;
    }
}
