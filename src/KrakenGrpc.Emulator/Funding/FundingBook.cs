using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Funding;

/// <summary>
/// Money arriving and the addresses it arrives at: deposits (each one a ledger entry and a DepositStatus record),
/// deposit addresses per method, and the withdrawal keys accounts start with. Call only under the emulator's gate.
/// </summary>
internal sealed class FundingBook(FundingCatalogue catalogue, MarketCatalogue market)
{
    public FundingCatalogue Catalogue => catalogue;

    /// <summary>
    /// Credits a completed deposit: a "deposit" ledger entry and a DepositStatus record sharing one funding refid, at
    /// the method's current address (which is then no longer "new"). The asset's first method when none is named.
    /// </summary>
    public FundingDeposit Deposit(PaperAccount account, AssetDefinition asset, decimal amount, DepositMethodDefinition? method, long timeNs)
    {
        var methods = catalogue.DepositMethods(asset);
        method ??= methods.Count > 0 ? methods[0] : throw new InvalidOperationException($"{asset.Key} has no deposit method.");
        var refId = account.NewFundingRefId();
        var seed = account.IdScope ^ KrakenIds.Scope(refId);
        string info;
        if (method.HasAddresses && !method.IsInvoice)
        {
            var address = CurrentAddress(account, method);
            address.Used = true;
            info = address.Address;
        }
        else
        {
            // Bank transfers and Lightning payments have no standing address: the sender's account or invoice stands in.
            info = FundingIds.Address(method.Kind, seed);
        }

        account.Post(refId, timeNs, "deposit", string.Empty, asset, amount, method.Fee);
        var deposit = new FundingDeposit(refId, method, FundingIds.TxId(method.Kind, seed), info, amount, method.Fee, timeNs);
        account.Deposits.Add(deposit);
        return deposit;
    }

    /// <summary>The method's addresses, newest first; an address is made on first use, as Kraken has one ready.</summary>
    public static IReadOnlyList<DepositAddress> Addresses(PaperAccount account, DepositMethodDefinition method)
    {
        CurrentAddress(account, method);
        return account.DepositAddresses.Where(a => a.Method == method).Reverse().ToArray();
    }

    /// <summary>A new address for the method (DepositAddresses with new=true).</summary>
    public static DepositAddress NewAddress(PaperAccount account, DepositMethodDefinition method)
    {
        var index = account.DepositAddresses.Count(a => a.Method == method);
        var seed = account.IdScope ^ KrakenIds.Scope(method.Asset.Key + "/" + method.Method) ^ KrakenIds.SplitMix((ulong)index + 1);
        var address = new DepositAddress(method, FundingIds.Address(method.Kind, seed));
        account.DepositAddresses.Add(address);
        return address;
    }

    /// <summary>A fresh Lightning invoice (never stored: each call makes one).</summary>
    public static string Invoice(PaperAccount account, ulong sequence) => FundingIds.Address(AddressKind.Lightning, account.IdScope ^ KrakenIds.SplitMix(sequence));

    /// <summary>
    /// The withdrawal keys an account starts with: the configured ones, or (none configured) "btc-cold" for XBT and
    /// "eur-bank" for EUR with addresses derived from the account.
    /// </summary>
    public void AddWithdrawalKeys(PaperAccount account, IReadOnlyList<EmulatedWithdrawalKey>? keys, string owner)
    {
        if (keys is null)
        {
            var bitcoin = catalogue.WithdrawMethods.First(m => m.Asset.Key == "XXBT" && m.Kind == AddressKind.Bitcoin);
            var sepa = catalogue.WithdrawMethods.First(m => m.Asset.Key == "ZEUR");
            account.WithdrawalKeys.Add(new WithdrawalKey("btc-cold", bitcoin, FundingIds.Address(AddressKind.Bitcoin, account.IdScope ^ KrakenIds.Scope("btc-cold")), true));
            account.WithdrawalKeys.Add(new WithdrawalKey("eur-bank", sepa, FundingIds.Address(AddressKind.Bank, account.IdScope ^ KrakenIds.Scope("eur-bank")), true));
            return;
        }

        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentException.ThrowIfNullOrWhiteSpace(key.Key);
            ArgumentException.ThrowIfNullOrWhiteSpace(key.Address);
            if (!market.TryFindAsset(key.Asset ?? string.Empty, out var asset))
            {
                throw new ArgumentException($"Emulated account '{owner}': withdrawal key '{key.Key}' has an unknown asset '{key.Asset}'.", nameof(keys));
            }

            var method = catalogue.FindWithdrawMethod(asset, key.Method ?? string.Empty)
                ?? throw new ArgumentException($"Emulated account '{owner}': withdrawal key '{key.Key}': {asset.Key} has no withdrawal method '{key.Method}'.", nameof(keys));
            if (account.WithdrawalKeys.Any(k => k.Asset == asset && string.Equals(k.Key, key.Key, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"Emulated account '{owner}': withdrawal key '{key.Key}' is configured twice for {asset.Key}.", nameof(keys));
            }

            account.WithdrawalKeys.Add(new WithdrawalKey(key.Key, method, key.Address, key.Verified));
        }
    }

    private static DepositAddress CurrentAddress(PaperAccount account, DepositMethodDefinition method) =>
        account.DepositAddresses.LastOrDefault(a => a.Method == method) ?? NewAddress(account, method);
}
