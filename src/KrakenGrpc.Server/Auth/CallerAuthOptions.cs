using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Auth;

/// <summary>
/// The <c>Auth</c> section: gateway tokens that callers present as <c>authorization: Bearer &lt;token&gt;</c>. With no
/// token configured every RPC is open, as a gateway on a private network or behind a mesh that authenticates usually
/// is; with one or more, private RPCs need a valid token that may use the account the call names.
/// </summary>
public sealed class CallerAuthOptions
{
    public const string Section = "Auth";

    /// <summary>The shortest token accepted: shorter ones are guessable.</summary>
    public const int MinimumTokenLength = 24;

    /// <summary>Tokens by a name that appears in logs and errors instead of the token itself.</summary>
    public Dictionary<string, CallerToken> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether MarketDataService (Kraken's public data) may be called without a token when tokens are configured.</summary>
    public bool MarketDataOpen { get; set; } = true;
}

/// <summary>One gateway token and the accounts its holder may sign for.</summary>
public sealed class CallerToken
{
    /// <summary>The secret the caller presents.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>The account names (<c>kraken-account</c>; <c>default</c> for the default one) it may use; <c>*</c> allows every account.</summary>
    public List<string> Accounts { get; } = [];
}

/// <summary>Refuses tokens that are empty, short or shared by two names, and accounts that are not configured; names the setting, never the token.</summary>
internal sealed class CallerAuthOptionsValidator(IConfiguration configuration) : IValidateOptions<CallerAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, CallerAuthOptions options)
    {
        var failures = new List<string>();
        // Read from configuration, not the Kraken options: those may be invalid themselves, and report that on their own.
        var accounts = configuration.GetSection($"{KrakenOptions.Section}:Accounts").GetChildren().Select(c => c.Key);
        var configured = new HashSet<string>(accounts, StringComparer.Ordinal) { Kraken.Accounts.KrakenAccounts.DefaultName, "*" };
        foreach (var (tokenName, token) in options.Tokens)
        {
            if (token.Token.Trim().Length < CallerAuthOptions.MinimumTokenLength)
            {
                failures.Add($"Auth:Tokens:{tokenName}:Token must be at least {CallerAuthOptions.MinimumTokenLength} characters (use a random value, e.g. `openssl rand -base64 32`).");
            }
            if (token.Accounts.Count == 0)
            {
                failures.Add($"Auth:Tokens:{tokenName}:Accounts must list the accounts the token may use (\"default\", a name under Kraken:Accounts, or \"*\").");
            }
            failures.AddRange(token.Accounts.Where(account => !configured.Contains(account))
                .Select(account => $"Auth:Tokens:{tokenName}:Accounts names '{account}', which is not a configured account (Kraken:Accounts:{account})."));
        }
        var shared = options.Tokens.GroupBy(t => t.Value.Token.Trim(), StringComparer.Ordinal).Where(g => g.Key.Length > 0 && g.Count() > 1);
        failures.AddRange(shared.Select(g => $"Auth:Tokens:{string.Join(" and Auth:Tokens:", g.Select(t => t.Key))} have the same token; give each caller its own."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
