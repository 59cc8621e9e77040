using KrakenGrpc.Emulator.Market;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Accounts;

/// <summary>One ledger entry: a change of one asset's balance (trade, deposit, withdrawal, transfer).</summary>
/// <param name="Id">Kraken-style ledger id ("L4UESK-KG3EQ-UFO4T5").</param>
/// <param name="RefId">The transaction behind it: a trade id, a deposit or transfer reference.</param>
/// <param name="TimeNs">Market time, unix nanoseconds.</param>
/// <param name="Type">trade | deposit | withdrawal | transfer ...</param>
/// <param name="Subtype">Extra type information ("" for most).</param>
/// <param name="Asset">The asset whose balance changed.</param>
/// <param name="Amount">Signed change before the fee.</param>
/// <param name="Fee">Fee charged in this asset.</param>
/// <param name="Balance">The balance after the entry.</param>
internal sealed record LedgerEntry(string Id, string RefId, long TimeNs, string Type, string Subtype, AssetDefinition Asset, decimal Amount, decimal Fee, decimal Balance);

/// <summary>One execution of a paper order (consolidated per taker match, as Kraken's consolidate_taker=true).</summary>
internal sealed record PaperTrade
{
    public required string Id { get; init; }

    public required string OrderTxid { get; init; }

    public required string PositionTxid { get; init; }

    public required PairDefinition Pair { get; init; }

    public required OrderSide Side { get; init; }

    public required string OrderType { get; init; }

    /// <summary>Average execution price (cost / volume).</summary>
    public required decimal Price { get; init; }

    public required decimal Cost { get; init; }

    /// <summary>Fee in quote terms (Kraken's trade "fee").</summary>
    public required decimal Fee { get; init; }

    public required decimal Volume { get; init; }

    public required long TimeNs { get; init; }

    /// <summary>Kraken's integer trade id.</summary>
    public required long TradeId { get; init; }

    public required bool Maker { get; init; }

    /// <summary>The trade's value in USD when it happened, for the 30-day fee volume.</summary>
    public required decimal UsdValue { get; init; }

    public List<string> LedgerIds { get; } = [];
}

/// <summary>A report of AddExport: queued when asked for, processed after the emulator's processing time.</summary>
internal sealed class ExportReport
{
    public required string Id { get; init; }

    public required string Description { get; init; }

    /// <summary>CSV or TSV.</summary>
    public required string Format { get; init; }

    /// <summary>trades or ledgers.</summary>
    public required string Report { get; init; }

    /// <summary>"all" or the comma list asked for.</summary>
    public required string Fields { get; init; }

    /// <summary>Market time of the request, unix seconds.</summary>
    public required long CreatedTime { get; init; }

    public required long DataStartTime { get; init; }

    public required long DataEndTime { get; init; }

    /// <summary>When it counts as processed, on the emulator's clock.</summary>
    public required DateTimeOffset ReadyAt { get; init; }

    public bool Cancelled { get; set; }
}
