using System.Globalization;

namespace KrakenGrpc.Emulator.Json;

/// <summary>
/// Text forms of Kraken's numbers. Prices and volumes are <see cref="decimal"/> end to end: Kraken writes them as
/// fixed-point strings padded to a per-pair number of decimals ("30300.10000"), and a double would change digits.
/// </summary>
internal static class KrakenNumber
{
    private static readonly string[] FixedFormats = Enumerable.Range(0, 29).Select(d => "F" + d.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Rounds half away from zero (as a price display does) and pads to exactly <paramref name="decimals"/> places.</summary>
    public static string Fixed(decimal value, int decimals) =>
        decimal.Round(value, decimals, MidpointRounding.AwayFromZero).ToString(FixedFormats[decimals], CultureInfo.InvariantCulture);

    /// <summary>
    /// Unix seconds with the sub-second part, as Kraken writes a public trade's time (a JSON number such as
    /// 1688669602.698379): trailing zeros dropped, at least one fractional digit kept so it stays a fraction.
    /// </summary>
    public static string UnixSecondsWithFraction(long unixNanoseconds)
    {
        var seconds = Math.DivRem(unixNanoseconds, 1_000_000_000L, out var nanos);
        var fraction = nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        if (fraction.Length == 0)
        {
            fraction = "0";
        }

        return seconds.ToString(CultureInfo.InvariantCulture) + "." + fraction;
    }

    /// <summary>
    /// Unix seconds with four decimals, as Kraken writes the times of private records (an order's <c>opentm</c>, a
    /// trade's or ledger entry's <c>time</c>: 1688666559.8974); the digits beyond are cut, not rounded, so a time
    /// never moves into the next second.
    /// </summary>
    public static string UnixSeconds4(long unixNanoseconds)
    {
        var seconds = Math.DivRem(unixNanoseconds, 1_000_000_000L, out var nanos);
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + (nanos / 100_000).ToString("D4", CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 3339 UTC to the second ("2023-03-24T17:41:56Z"), the form of CancelAllOrdersAfter's times.</summary>
    public static string Rfc3339Seconds(long unixNanoseconds) =>
        DateTime.UnixEpoch.AddTicks(unixNanoseconds / 100).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 UTC with milliseconds ("2023-08-19T02:34:05.807Z"), the form of an Earn allocation's "expires".</summary>
    public static string Rfc3339Milliseconds(long unixNanoseconds) =>
        DateTime.UnixEpoch.AddTicks(unixNanoseconds / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A decimal with no padding and no trailing zeros ("0.0004", "1"): the form of WithdrawMethods' minimums and
    /// Earn's minimum allocations, which Kraken writes as plain decimals.
    /// </summary>
    public static string Plain(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 UTC with microseconds, the form of the transparency endpoints (2024-05-30T12:34:56.123456Z).</summary>
    public static string IsoMicroseconds(long unixNanoseconds) =>
        DateTime.UnixEpoch.AddTicks(unixNanoseconds / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
