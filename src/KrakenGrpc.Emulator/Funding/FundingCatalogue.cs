using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Funding;

/// <summary>What an address (or a transaction id) of a funding method looks like.</summary>
internal enum AddressKind
{
    Bitcoin,
    Lightning,
    Ethereum,
    Solana,
    Polkadot,
    Tron,
    Bank,
}

/// <summary>
/// One deposit method of an asset, as DepositMethods describes it.
/// </summary>
/// <param name="Asset">The asset deposited.</param>
/// <param name="Method">Kraken's method name ("Bitcoin", "Ether (Hex)", "SEPA").</param>
/// <param name="Kind">Address format; <see cref="AddressKind.Bank"/> methods have no addresses.</param>
/// <param name="GenAddress">The "gen-address" flag; null: Kraken leaves the key out (Lightning, as the example).</param>
/// <param name="Fee">Deposit fee.</param>
/// <param name="FeeDecimals">Decimals of the fee text: the example writes Bitcoin's with 10, Lightning's with 8.</param>
/// <param name="Minimum">Smallest deposit.</param>
internal sealed record DepositMethodDefinition(AssetDefinition Asset, string Method, AddressKind Kind, bool? GenAddress, decimal Fee, int FeeDecimals, decimal Minimum)
{
    /// <summary>Whether DepositAddresses hands out addresses (crypto on-chain methods and Lightning invoices).</summary>
    public bool HasAddresses => Kind != AddressKind.Bank;

    /// <summary>Lightning "addresses" are invoices for an amount, valid for an hour, made afresh on every call.</summary>
    public bool IsInvoice => Kind == AddressKind.Lightning;
}

/// <summary>One withdrawal method of an asset, as WithdrawMethods describes it, with the fee WithdrawInfo quotes.</summary>
internal sealed record WithdrawMethodDefinition(AssetDefinition Asset, string Method, string Network, AddressKind Kind, decimal Minimum, decimal Fee);

/// <summary>
/// The emulator's funding methods: plausible copies of Kraken's (XBT's use the documented examples' names, fees
/// and minimums). Immutable: safe to read without a lock.
/// </summary>
internal sealed class FundingCatalogue
{
    private readonly Dictionary<string, DepositMethodDefinition[]> _deposits = new(StringComparer.Ordinal);
    private readonly WithdrawMethodDefinition[] _withdrawals;

    public FundingCatalogue(MarketCatalogue market)
    {
        AssetDefinition Asset(string key) => market.TryFindAsset(key, out var asset) ? asset : throw new InvalidOperationException($"The catalogue lacks {key}.");
        var xbt = Asset("XXBT");
        var eth = Asset("XETH");
        var sol = Asset("SOL");
        var dot = Asset("DOT");
        var usdt = Asset("USDT");
        var usd = Asset("ZUSD");
        var eur = Asset("ZEUR");

        Add(new DepositMethodDefinition(xbt, "Bitcoin", AddressKind.Bitcoin, true, 0m, xbt.Decimals, 0.0001m), new DepositMethodDefinition(xbt, "Bitcoin Lightning", AddressKind.Lightning, null, 0m, 8, 0.0001m));
        Add(new DepositMethodDefinition(eth, "Ether (Hex)", AddressKind.Ethereum, true, 0m, eth.Decimals, 0.0001m));
        Add(new DepositMethodDefinition(sol, "Solana", AddressKind.Solana, true, 0m, sol.Decimals, 0.01m));
        Add(new DepositMethodDefinition(dot, "Polkadot", AddressKind.Polkadot, true, 0m, dot.Decimals, 1m));
        Add(new DepositMethodDefinition(usdt, "Tether USD (ERC20)", AddressKind.Ethereum, true, 0m, usdt.Decimals, 5m), new DepositMethodDefinition(usdt, "Tether USD (TRC20)", AddressKind.Tron, true, 0m, usdt.Decimals, 1m));
        Add(new DepositMethodDefinition(usd, "FedWire", AddressKind.Bank, false, 0m, usd.Decimals, 5m));
        Add(new DepositMethodDefinition(eur, "SEPA", AddressKind.Bank, false, 0m, eur.Decimals, 1m));

        // WithdrawMethods writes minimums as plain decimals ("0.0004"), so they are kept with their natural scale.
        _withdrawals =
        [
            new(dot, "Polkadot", "Polkadot", AddressKind.Polkadot, 1m, 0.05m),
            new(sol, "Solana", "Solana", AddressKind.Solana, 0.02m, 0.001m),
            new(usdt, "Tether USD (ERC20)", "Ethereum", AddressKind.Ethereum, 10m, 5m),
            new(usdt, "Tether USD (TRC20)", "Tron", AddressKind.Tron, 5m, 2.5m),
            new(eth, "Ether", "Ethereum", AddressKind.Ethereum, 0.004m, 0.0015m),
            new(xbt, "Bitcoin", "Bitcoin", AddressKind.Bitcoin, 0.0004m, 0.0002m),
            new(xbt, "Bitcoin Lightning", "Lightning", AddressKind.Lightning, 0.00001m, 0m),
            new(eur, "SEPA", "SEPA", AddressKind.Bank, 1m, 0.35m),
            new(usd, "FedWire", "FedWire", AddressKind.Bank, 5m, 5m),
        ];

        void Add(params DepositMethodDefinition[] methods) => _deposits[methods[0].Asset.Key] = methods;
    }

    /// <summary>Every withdrawal method, in asset key order.</summary>
    public IReadOnlyList<WithdrawMethodDefinition> WithdrawMethods => _withdrawals;

    /// <summary>
    /// Decimals of funding amounts (DepositStatus, WithdrawStatus, WithdrawInfo): the examples write Bitcoin amounts
    /// in satoshis ("0.78125000", 8 decimals) and Ether amounts with the asset's 10; other assets use their own.
    /// </summary>
    public static int AmountDecimals(AssetDefinition asset) => asset.Key == "XXBT" ? 8 : asset.Decimals;

    /// <summary>The asset's deposit methods; the first is the default for deposits made without naming one.</summary>
    public IReadOnlyList<DepositMethodDefinition> DepositMethods(AssetDefinition asset) => _deposits.GetValueOrDefault(asset.Key) ?? [];

    public DepositMethodDefinition? FindDepositMethod(AssetDefinition asset, string method) =>
        DepositMethods(asset).FirstOrDefault(m => string.Equals(m.Method, method.Trim(), StringComparison.OrdinalIgnoreCase));

    public WithdrawMethodDefinition? FindWithdrawMethod(AssetDefinition asset, string method) =>
        _withdrawals.FirstOrDefault(m => m.Asset == asset && string.Equals(m.Method, method.Trim(), StringComparison.OrdinalIgnoreCase));
}
