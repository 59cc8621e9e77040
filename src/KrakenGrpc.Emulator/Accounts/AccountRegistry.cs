using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Accounts;

/// <summary>
/// Every paper account of the emulator: those with API keys (from the options) and the subaccounts created with
/// CreateSubaccount. Built once at start; later additions happen under the market's gate.
/// </summary>
internal sealed class AccountRegistry
{
    private readonly Dictionary<string, PaperAccount> _byKey = new(StringComparer.Ordinal);
    private readonly List<PaperAccount> _all = [];

    public AccountRegistry(IEnumerable<EmulatedAccountOptions> options, MarketCatalogue catalogue, TimeProvider clock, long startNs)
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

            var account = new PaperAccount(option.Name, option.ApiKey, secret, TierLimits.Parse(option.Tier), option.NonceWindow, clock, startSeconds);
            foreach (var (name, amount) in option.Balances)
            {
                var asset = Asset(catalogue, name, option.ApiKey);
                account.Touch(asset);
                if (amount != 0m)
                {
                    // Starting money arrives as a deposit, so the ledger always explains the balance.
                    account.Post(account.NewId('Q'), startNs, "deposit", string.Empty, asset, amount, 0m);
                }
            }

            foreach (var (name, limit) in option.CreditLimits)
            {
                account.CreditLimits[Asset(catalogue, name, option.ApiKey).Key] = limit;
            }

            _byKey[option.ApiKey] = account;
            _all.Add(account);
        }
    }

    public IReadOnlyList<string> ApiKeys => _byKey.Keys.ToArray();

    /// <summary>Every account, keyed ones and subaccounts.</summary>
    public IReadOnlyList<PaperAccount> All => _all;

    public PaperAccount? Find(string apiKey) => _byKey.GetValueOrDefault(apiKey);

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
