namespace KrakenGrpc.Emulator;

/// <summary>
/// One paper account of the emulator: the API key and secret that sign its private calls, its rate-limit tier, its
/// nonce window and its starting balances (each becomes a deposit in the account's ledger).
/// </summary>
/// <param name="ApiKey">The public API key, sent in the <c>API-Key</c> header.</param>
/// <param name="ApiSecret">The private key, base64 as Kraken hands it out (64 bytes decoded).</param>
/// <example>
/// <code>
/// new EmulatedAccountOptions("my-key", secret) { Tier = "Pro", Balances = new Dictionary&lt;string, decimal&gt; { ["ZUSD"] = 100_000m, ["XXBT"] = 2m } }
/// </code>
/// </example>
public sealed record EmulatedAccountOptions(string ApiKey, string ApiSecret)
{
    /// <summary>The API key of the sandbox account created when no account is configured (<c>--sandbox</c>).</summary>
    public const string SandboxApiKey = "KrakenGrpcSandboxKey/rYvpApT0bSiyYCCMBF4OuKPjI6whK8n7Pj0bLfk";

    /// <summary>The sandbox account's secret: a fixed, valid base64 64-byte key. Not a secret: it only opens the emulator.</summary>
    public const string SandboxApiSecret = "CR7Q2sN2fyk18DyfpwitycQn4nGaorY3Ec61homCKrv+RAcl9r3fooPCT4GH0GF8CuJ9nh9P/mPLUOJ0ZbLumw==";

    /// <summary>"Starter", "Intermediate" or "Pro": sizes the rate counters and the open-order cap (protocol.md §8).</summary>
    public string Tier { get; init; } = "Starter";

    /// <summary>
    /// Kraken's nonce window: 0 (default) requires every nonce to be above the highest seen; N also accepts a nonce
    /// not seen before that lies at most N below the highest.
    /// </summary>
    public long NonceWindow { get; init; }

    /// <summary>Starting balances by asset (Kraken id "XXBT", altname "XBT" or symbol "BTC").</summary>
    public IReadOnlyDictionary<string, decimal> Balances { get; init; } = new Dictionary<string, decimal>();

    /// <summary>
    /// Credit lines by asset (VIP accounts). Empty (default): CreditLines answers null and BalanceEx shows no credit,
    /// as for an ordinary account.
    /// </summary>
    public IReadOnlyDictionary<string, decimal> CreditLimits { get; init; } = new Dictionary<string, decimal>();

    /// <summary>The key's name, as GetApiKeyInfo reports it.</summary>
    public string Name { get; init; } = "emulator-key";

    /// <summary>The account holder's e-mail, as <c>/oauth/userinfo</c> reports it; null: "&lt;Name&gt;@kraken-emulator.invalid".</summary>
    public string? Email { get; init; }

    /// <summary>
    /// The withdrawal keys (addresses saved under a name) that Withdraw and WithdrawInfo accept. Null (default): two
    /// keys, "btc-cold" (XBT, Bitcoin) and "eur-bank" (EUR, SEPA), with addresses derived from the API key. An
    /// empty list: none, so every Withdraw is refused with <c>EFunding:Unknown withdraw key</c>.
    /// </summary>
    public IReadOnlyList<EmulatedWithdrawalKey>? WithdrawalKeys { get; init; }

    /// <summary>
    /// The key's permissions by Kraken's names ("query-funds", "withdraw-funds", "modify-trades"...; api-reference
    /// Appendix C). Null (default): all of them. A call the key may not make answers <c>EGeneral:Permission denied</c>.
    /// </summary>
    public IReadOnlyList<string>? Permissions { get; init; }

    /// <summary>The account the emulator creates when none is configured.</summary>
    internal static EmulatedAccountOptions Sandbox() => new(SandboxApiKey, SandboxApiSecret)
    {
        Name = "sandbox",
        Balances = new Dictionary<string, decimal>
        {
            ["ZUSD"] = 1_000_000m,
            ["ZEUR"] = 1_000_000m,
            ["XXBT"] = 10m,
            ["XETH"] = 200m,
            ["SOL"] = 5_000m,
            ["USDT"] = 500_000m,
            ["DOT"] = 100_000m,
        },
    };
}
