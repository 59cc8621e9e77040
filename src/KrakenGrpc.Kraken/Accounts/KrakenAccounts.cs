using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Kraken.Accounts;

/// <summary>The configured accounts, by name. Built once from validated options.</summary>
public sealed class KrakenAccounts
{
    /// <summary>The name of the account configured directly under <c>Kraken:</c>.</summary>
    public const string DefaultName = "default";

    private readonly Dictionary<string, KrakenAccount> _accounts = new(StringComparer.Ordinal);

    public KrakenAccounts(IOptions<KrakenOptions> options)
    {
        var kraken = options.Value;
        Add(DefaultName, kraken);
        foreach (var (name, account) in kraken.Accounts)
        {
            Add(name, account);
        }
    }

    /// <summary>The names of the accounts that have credentials.</summary>
    public IEnumerable<string> Names => _accounts.Keys;

    /// <summary>
    /// The account a call uses: the default one when <paramref name="name"/> is empty. An unknown name is the caller's
    /// mistake; a known name without credentials is a configuration gap.
    /// </summary>
    public KrakenAccount Resolve(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? DefaultName : name.Trim();
        if (_accounts.TryGetValue(name, out var account))
        {
            return account;
        }
        if (name == DefaultName)
        {
            throw new KrakenException(KrakenErrorTable.AccountNotConfigured, string.Empty,
                "No Kraken API key is configured for the default account: set Kraken:ApiKey and Kraken:ApiSecret, or name a configured account in the 'kraken-account' metadata.");
        }
        throw new KrakenException(KrakenErrorTable.UnknownAccount, string.Empty,
            $"No Kraken account named '{name}' is configured (Kraken:Accounts:{name}).");
    }

    private void Add(string name, KrakenAccountOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey) || string.IsNullOrWhiteSpace(options.ApiSecret))
        {
            return;
        }
        _accounts[name] = new KrakenAccount(name, options.ApiKey.Trim(), Convert.FromBase64String(options.ApiSecret.Trim()), options.Tier, options.MaxInFlight);
    }
}
