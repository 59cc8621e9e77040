namespace KrakenGrpc.Emulator;

/// <summary>
/// A withdrawal key of an emulated account: an address saved under a name, as Kraken's WithdrawAddresses lists them
/// and Withdraw takes them (<c>key=btc-cold</c>).
/// </summary>
/// <param name="Key">The key's name, unique per asset.</param>
/// <param name="Asset">The asset (Kraken id "XXBT", altname "XBT" or symbol "BTC").</param>
/// <param name="Method">The withdrawal method, as WithdrawMethods names it ("Bitcoin", "SEPA", "Ether"...).</param>
/// <param name="Address">The destination: a crypto address or an IBAN.</param>
/// <example>
/// <code>
/// new EmulatedWithdrawalKey("eth-hot", "ETH", "Ether", "0x6f46cf5569aefa1acc1009290c8e043747172d89")
/// </code>
/// </example>
public sealed record EmulatedWithdrawalKey(string Key, string Asset, string Method, string Address)
{
    /// <summary>Whether the address was confirmed by e-mail (WithdrawAddresses' "verified").</summary>
    public bool Verified { get; init; } = true;
}
