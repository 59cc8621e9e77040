namespace KrakenGrpc.Emulator.Market;

/// <summary>
/// One asset as Kraken's Assets endpoint describes it.
/// </summary>
/// <param name="Key">Kraken's asset id, with the legacy X/Z prefix where Kraken has one ("XXBT", "ZUSD", "SOL").</param>
/// <param name="Altname">Kraken's alternate name ("XBT", "USD").</param>
/// <param name="Symbol">The name the newer endpoints use ("BTC" for XBT; PreTrade/PostTrade, GroupedBook, wsname v2).</param>
/// <param name="FullName">Human name, used in the transparency endpoints' "description" ("Bitcoin", "US Dollars").</param>
/// <param name="Decimals">Record-keeping decimals.</param>
/// <param name="DisplayDecimals">Display decimals.</param>
/// <param name="CollateralValue">Margin collateral valuation (a JSON number in Kraken's answer).</param>
internal sealed record AssetDefinition(
    string Key,
    string Altname,
    string Symbol,
    string FullName,
    int Decimals,
    int DisplayDecimals,
    decimal CollateralValue)
{
    /// <summary>Asset class: every emulated asset is a plain currency (no xStocks).</summary>
    public string Aclass { get; init; } = "currency";

    /// <summary>Funding status: enabled | deposit_only | withdrawal_only | funding_temporarily_disabled.</summary>
    public string Status { get; init; } = "enabled";
}
