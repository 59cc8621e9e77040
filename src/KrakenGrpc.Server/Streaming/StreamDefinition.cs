using System.Text.Json;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Requests;

namespace KrakenGrpc.Server.Streaming;

/// <summary>
/// Which poller a stream request belongs to: the endpoint, the account whose budget the polls spend (none for public
/// data) and the request's parameters after normalisation, so that equivalent requests share one poller.
/// </summary>
internal sealed record StreamKey(string Endpoint, string? Account, string Parameters)
{
    public override string ToString() => Account is null ? $"{Endpoint}?{Parameters}" : $"{Endpoint}?{Parameters} ({Account})";
}

/// <summary>One answer of Kraken, read as a stream's entries: the pair key it names, the entries, and its cursor.</summary>
internal sealed record StreamPage<TEntry>(string Pair, IReadOnlyList<TEntry> Entries, string Cursor);

/// <summary>
/// What a subscriber receives: entries that are new or changed since its previous update (every entry the poller
/// holds when <paramref name="IsSnapshot"/>), in Kraken's order, and the cursor after them.
/// </summary>
/// <param name="IsSnapshot">
/// True for a subscriber's first update, and for a merged backlog that had to drop its oldest entries.
/// </param>
internal sealed record StreamUpdate<TEntry>(string Pair, IReadOnlyList<TEntry> Entries, string Cursor, bool IsSnapshot);

/// <summary>An entry that is a value per pair (a ticker, a book), compared by value to find changes.</summary>
internal readonly record struct PairEntry<TValue>(string Pair, TValue Value);

/// <summary>
/// Everything the hub needs to run one kind of stream, built per request by <see cref="MarketDataStreams"/>: what to
/// poll, how to read Kraken's answer into entries, which entries are the same entry, how much to keep, and the
/// response message a subscriber receives. The hub itself knows no endpoint and no message.
/// </summary>
internal sealed class StreamDefinition<TEntry, TResponse>
{
    /// <summary>The poller this request shares.</summary>
    public required StreamKey Key { get; init; }

    public required KrakenEndpoint Endpoint { get; init; }

    /// <summary>The account a private stream is signed for and charged to; null for public data.</summary>
    public KrakenAccount? Account { get; init; }

    /// <summary>The next poll's parameters, given the cursor of the previous answer (empty before the first).</summary>
    public required Func<string, KrakenParameters> Parameters { get; init; }

    /// <summary>Reads Kraken's <c>result</c> (through the unary RPC's mapping) as a page of entries.</summary>
    public required Func<JsonElement, StreamPage<TEntry>> Read { get; init; }

    /// <summary>
    /// What makes two entries the same entry (a pair, a trade id, a candle's time). An entry whose identity is known
    /// replaces the known one when it differs (a changed ticker or candle) and is not sent again when it does not.
    /// </summary>
    public required Func<TEntry, object> Identity { get; init; }

    /// <summary>How many entries the poller keeps for a new subscriber's snapshot (the newest ones).</summary>
    public int SnapshotLimit { get; init; } = int.MaxValue;

    /// <summary>
    /// How many unread entries a slow subscriber's mailbox merges before it drops the oldest (and marks the update a
    /// snapshot). Null when the entries' identities are bounded anyway (one per requested pair).
    /// </summary>
    public int? BacklogLimit { get; init; }

    public required Func<StreamUpdate<TEntry>, TResponse> ToResponse { get; init; }
}
