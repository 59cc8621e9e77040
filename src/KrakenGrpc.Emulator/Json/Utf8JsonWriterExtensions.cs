using System.Globalization;
using System.Text.Json;

namespace KrakenGrpc.Emulator.Json;

/// <summary>Kraken's number forms on a <see cref="Utf8JsonWriter"/>, so handlers never build number text by hand.</summary>
internal static class Utf8JsonWriterExtensions
{
    /// <summary>A decimal as a JSON string padded to <paramref name="decimals"/> places ("87000.10000").</summary>
    public static void WriteFixedString(this Utf8JsonWriter writer, decimal value, int decimals) =>
        writer.WriteStringValue(KrakenNumber.Fixed(value, decimals));

    /// <summary>A property whose value is a decimal string padded to <paramref name="decimals"/> places.</summary>
    public static void WriteFixedString(this Utf8JsonWriter writer, string propertyName, decimal value, int decimals) =>
        writer.WriteString(propertyName, KrakenNumber.Fixed(value, decimals));

    /// <summary>An integer written as a JSON string (Kraken's nanosecond <c>last</c> cursor of Trades).</summary>
    public static void WriteIntegerString(this Utf8JsonWriter writer, string propertyName, long value) =>
        writer.WriteString(propertyName, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A unix time with its fraction as a JSON number (a public trade's time).</summary>
    public static void WriteUnixSecondsNumber(this Utf8JsonWriter writer, long unixNanoseconds) =>
        writer.WriteRawValue(KrakenNumber.UnixSecondsWithFraction(unixNanoseconds), skipInputValidation: true);

    /// <summary>A property holding unix seconds with four decimals as a JSON number (an order's <c>opentm</c>).</summary>
    public static void WriteUnixTime(this Utf8JsonWriter writer, string propertyName, long unixNanoseconds)
    {
        writer.WritePropertyName(propertyName);
        writer.WriteRawValue(KrakenNumber.UnixSeconds4(unixNanoseconds), skipInputValidation: true);
    }

    /// <summary>
    /// A property whose value is a decimal written as a JSON number padded to <paramref name="decimals"/> places, for
    /// the few amounts Kraken's examples show as numbers (BalanceEx).
    /// </summary>
    public static void WriteFixedNumber(this Utf8JsonWriter writer, string propertyName, decimal value, int decimals)
    {
        writer.WritePropertyName(propertyName);
        writer.WriteRawValue(KrakenNumber.Fixed(value, decimals), skipInputValidation: true);
    }
}
