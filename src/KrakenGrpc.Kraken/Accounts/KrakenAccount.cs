using KrakenGrpc.Kraken.Transport;

namespace KrakenGrpc.Kraken.Accounts;

/// <summary>
/// One configured Kraken account: its name (what callers put in <c>kraken-account</c>), the public key, the decoded
/// secret and the tier that sizes its budgets. The secret never leaves this object except into the signer, and
/// <see cref="ToString"/> leaves it out so it cannot reach a log by accident.
/// </summary>
public sealed class KrakenAccount
{
    internal KrakenAccount(string name, string apiKey, byte[] secret, KrakenTier tier, int maxInFlight)
    {
        Name = name;
        ApiKey = apiKey;
        Secret = secret;
        Tier = tier;
        MaxInFlight = maxInFlight;
    }

    /// <summary>The account's name in configuration; <c>default</c> for the <c>Kraken:ApiKey</c> account.</summary>
    public string Name { get; }

    /// <summary>The public API key (sent as API-Key).</summary>
    public string ApiKey { get; }

    internal byte[] Secret { get; }

    /// <summary>The tier: sizes the REST call counter and the trading counter.</summary>
    public KrakenTier Tier { get; }

    /// <summary>How many signed requests may be in flight at once (1 unless the key has a nonce window).</summary>
    public int MaxInFlight { get; }

    public override string ToString() => $"Kraken account '{Name}' ({Tier})";
}
