using KrakenGrpc.Emulator.Auth;
using KrakenGrpc.Emulator.Funding;
using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Accounts;

/// <summary>
/// Every paper account of the emulator: those with API keys (from the options) and the subaccounts created with
/// CreateSubaccount, and every API key that opens one (the configured keys and Fast API keys made over OAuth).
/// Built once at start; later additions happen under the market's gate.
/// </summary>
internal sealed class AccountRegistry
{
    private readonly Dictionary<string, PaperAccount> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiCredential> _credentials = new(StringComparer.Ordinal);
    private readonly List<PaperAccount> _all = [];

    public AccountRegistry(IEnumerable<EmulatedAccountOptions> options, MarketCatalogue catalogue, FundingBook funding, TimeProvider clock, long startNs)
    {
        var configured = options.ToList();
        if (configured.Count == 0)
        {
            configured.Add(EmulatedAccountOptions.Sandbox());
        }

        var startSeconds = startNs / 1_000_000_000L;
        foreach (var option in configured)
        {
            ArgumentNullException.ThrowIfNull(option);
            ArgumentException.ThrowIfNullOrWhiteSpace(option.ApiKey);
            byte[] secret;
            try
            {
                secret = Convert.FromBase64String(option.ApiSecret ?? string.Empty);
            }
            catch (FormatException)
            {
                // Never echo the secret: name the key it belongs to.
                throw new ArgumentException($"The ApiSecret of emulated account '{option.ApiKey}' is not valid base64.", nameof(options));
            }

            if (_byKey.ContainsKey(option.ApiKey))
            {
                throw new ArgumentException($"Emulated account '{option.ApiKey}' is configured twice.", nameof(options));
            }

            var account = new PaperAccount(option.Name, option.ApiKey, secret, TierLimits.Parse(option.Tier), option.NonceWindow, clock, startSeconds)
            {
                Email = option.Email ?? option.Name + "@kraken-emulator.invalid",
            };
            if (option.Permissions is { } permissions)
            {
                var unknown = permissions.FirstOrDefault(p => !KeyPermissions.IsKnown(p));
                if (unknown is not null)
                {
                    throw new ArgumentException($"Emulated account '{option.ApiKey}': unknown permission '{unknown}'; use Kraken's names ({string.Join(", ", KeyPermissions.All)}).", nameof(options));
                }

                account.Credential!.Permissions = new HashSet<string>(permissions, StringComparer.Ordinal);
            }

            foreach (var (name, amount) in option.Balances)
            {
                var asset = Asset(catalogue, name, option.ApiKey);
                account.Touch(asset);
                if (amount != 0m)
                {
                    // Starting money arrives as a deposit, so the ledger and DepositStatus always explain the balance.
                    funding.Deposit(account, asset, amount, null, startNs);
                }
            }

            foreach (var (name, limit) in option.CreditLimits)
            {
                account.CreditLimits[Asset(catalogue, name, option.ApiKey).Key] = limit;
            }

            funding.AddWithdrawalKeys(account, option.WithdrawalKeys, option.ApiKey);
            _byKey[option.ApiKey] = account;
            _credentials[option.ApiKey] = account.Credential!;
            _all.Add(account);
        }
    }

    public IReadOnlyList<string> ApiKeys => _byKey.Keys.ToArray();

    /// <summary>Every account, keyed ones and subaccounts.</summary>
    public IReadOnlyList<PaperAccount> All => _all;

    /// <summary>The account whose configured key this is (Fast API keys are not accounts' own keys).</summary>
    public PaperAccount? Find(string apiKey) => _byKey.GetValueOrDefault(apiKey);

    /// <summary>Any API key that opens an account: a configured key or a Fast API key.</summary>
    public ApiCredential? FindCredential(string apiKey) => _credentials.GetValueOrDefault(apiKey);

    /// <summary>Registers a Fast API key: from now on it signs private calls for its account.</summary>
    public void AddFastApiKey(FastApiKey key)
    {
        _credentials.Add(key.Key, key);
        key.Account.FastApiKeys.Add(key);
    }

    /// <summary>Deletes a Fast API key: its next call answers EAPI:Invalid key.</summary>
    public void RemoveFastApiKey(FastApiKey key)
    {
        _credentials.Remove(key.Key);
        key.Account.FastApiKeys.Remove(key);
    }

    public bool IsKeyTaken(string apiKey) => _credentials.ContainsKey(apiKey);

    /// <summary>The account with this IIBAN (spaces and case ignored), or null.</summary>
    public PaperAccount? FindByIiban(string iiban)
    {
        var wanted = Normalize(iiban);
        return _all.FirstOrDefault(a => Normalize(a.Iiban) == wanted);
    }

    public void AddSubaccount(PaperAccount master, PaperAccount subaccount)
    {
        master.Subaccounts.Add(subaccount);
        _all.Add(subaccount);
    }

    private static string Normalize(string iiban) => iiban.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    private static AssetDefinition Asset(MarketCatalogue catalogue, string name, string apiKey) =>
        catalogue.TryFindAsset(name, out var asset)
            ? asset
            : throw new ArgumentException($"Emulated account '{apiKey}': unknown asset '{name}'.", nameof(name));
}
