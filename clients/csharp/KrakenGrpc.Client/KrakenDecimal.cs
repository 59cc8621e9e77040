using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace KrakenGrpc.Client;

/// <summary>
/// Between Kraken's decimal text (every price, volume, amount, fee and balance in the contract) and
/// <see cref="decimal"/>, without losing or adding a digit: <c>"0.00010"</c> parses to <c>0.00010m</c> (scale 5) and
/// formats back to <c>"0.00010"</c>. Never through <see cref="double"/>, never with the current culture.
/// </summary>
public static class KrakenDecimal
{
    private const NumberStyles DecimalText = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>
    /// Reads decimal text as Kraken writes it: digits with at most one point between digits and an optional
    /// leading minus (ledger amounts), e.g. <c>"87654.32100"</c> or <c>"-24.5000"</c>.
    /// </summary>
    /// <exception cref="FormatException">
    /// Anything else (<c>"1e5"</c>, <c>"+1"</c>, <c>".5"</c>, <c>"1."</c>, <c>"1,000"</c>, spaces), or more digits than
    /// <see cref="decimal"/> holds exactly (it would round them away).
    /// </exception>
    public static decimal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value)
            ? value
            : throw new FormatException(
                $"\"{Shorten(text)}\" is not exact Kraken decimal text: digits with at most one point and an optional leading minus, such as \"0.00010\", within System.Decimal's 28 digits.");
    }

    /// <summary>Like <see cref="Parse"/>, answering false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out decimal value)
    {
        value = default;
        if (text is null || !IsDecimalText(text) || !decimal.TryParse(text, DecimalText, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }
        // decimal.TryParse rounds away digits beyond its precision; a scale short of the digits written means it did.
        if (parsed.Scale != FractionDigits(text))
        {
            return false;
        }
        value = parsed;
        return true;
    }

    /// <summary>
    /// The decimal text of <paramref name="value"/> with exactly its digits: <c>1.5m</c> gives <c>"1.5"</c>,
    /// <c>1.50m</c> gives <c>"1.50"</c>, never an exponent or a group separator. Round to the pair's or asset's
    /// decimals first (<see cref="decimal.Round(decimal, int)"/>) when Kraken wants fewer.
    /// </summary>
    public static string Format(decimal value) =>
        // A negative zero (0m * -1) would print as "-0", which Kraken would not read as zero; zero has no sign.
        (value == decimal.Zero ? decimal.Abs(value) : value).ToString(CultureInfo.InvariantCulture);

    private static bool IsDecimalText(string text)
    {
        var unsigned = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        var point = unsigned.IndexOf('.');
        var whole = point < 0 ? unsigned : unsigned[..point];
        var fraction = point < 0 ? "0" : unsigned[(point + 1)..];
        return whole.Length > 0 && fraction.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }

    private static int FractionDigits(string text)
    {
        var point = text.IndexOf('.', StringComparison.Ordinal);
        return point < 0 ? 0 : text.Length - point - 1;
    }

    // The caller's text is echoed to help them, but never at length.
    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
