using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Requests;

namespace KrakenGrpc.Kraken.Transport;

/// <summary>What travels with an outgoing request through the HttpClient pipeline.</summary>
internal static class KrakenRequestOptions
{
    /// <summary>The catalogue entry: decides retries and how the call is charged.</summary>
    public static readonly HttpRequestOptionsKey<KrakenEndpoint> Endpoint = new("KrakenGrpc.Endpoint");

    /// <summary>The account a signed call is made for.</summary>
    public static readonly HttpRequestOptionsKey<KrakenAccount> Account = new("KrakenGrpc.Account");

    /// <summary>The unsigned parameters; each attempt encodes them anew with a fresh nonce.</summary>
    public static readonly HttpRequestOptionsKey<KrakenParameters> Parameters = new("KrakenGrpc.Parameters");

    /// <summary>The caller's deadline, if any: budget waits that would outlast it are refused instead.</summary>
    public static readonly HttpRequestOptionsKey<DateTimeOffset> Deadline = new("KrakenGrpc.Deadline");
}
