using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using KrakenGrpc.Kraken.Errors;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// Reading Kraken's JSON values into contract types without losing a digit. Kraken writes most decimals as strings
/// and some (fee tiers, collateral values, timestamps) as JSON numbers; both are taken as the exact text Kraken sent.
/// A value of the wrong shape is an unreadable answer, reported as such, never a crash.
/// </summary>
internal static class KrakenJson
{
    private const int NanosPerSecond = 1_000_000_000;

    /// <summary>Room for a property name that <see cref="NameOf"/> decodes without making a string.</summary>
    public const int NameBufferLength = 32;

    /// <summary>Decimal (or any scalar) text exactly as Kraken wrote it; empty when absent or null.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => throw Unreadable($"expected a scalar, found {value.ValueKind}"),
    };

    /// <summary>The text of a property, empty when the property is missing.</summary>
    public static string Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? Text(value) : string.Empty;

    /// <summary>An integer written as a number or as digits in a string; 0 when absent.</summary>
    public static long Long(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
        JsonValueKind.Null or JsonValueKind.Undefined => 0,
        _ => throw Unreadable($"expected an integer, found {value.GetRawText()}"),
    };

    public static long Long(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? Long(value) : 0;

    public static int Int(JsonElement value) => checked((int)Long(value));

    public static int Int(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? Int(value) : 0;

    /// <summary>
    /// A time from Kraken's unix seconds, with or without a fraction (<c>1688669597.8277369</c>), as a number or a
    /// string. The digits are split as text, so no fraction is rounded through a double. Null when absent or zero
    /// (Kraken writes 0 for "no time").
    /// </summary>
    public static Timestamp? UnixSeconds(JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }
        // Whole seconds written as a JSON number (every level of a Depth answer): nothing to split, so no text is made.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var wholeSeconds))
        {
            return wholeSeconds == 0 ? null : new Timestamp { Seconds = wholeSeconds };
        }
        var text = Text(value);
        return text.Length == 0 ? null : UnixSeconds(text);
    }

    public static Timestamp? UnixSeconds(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? UnixSeconds(value) : null;

    /// <summary>Unix seconds as text (<c>"1688669597.8277369"</c>) to a Timestamp, exactly (fraction truncated at nanoseconds).</summary>
    public static Timestamp? UnixSeconds(string text)
    {
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var wholePart = point < 0 ? text : text[..point];
        var fractionPart = point < 0 ? string.Empty : text[(point + 1)..];
        if (!long.TryParse(wholePart, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            || (fractionPart.Length > 0 && !fractionPart.All(char.IsAsciiDigit)))
        {
            throw Unreadable($"'{text}' is not a unix time");
        }
        if (seconds == 0 && fractionPart.TrimEnd('0').Length == 0)
        {
            return null;
        }

        var nanosDigits = fractionPart.Length > 9 ? fractionPart[..9] : fractionPart.PadRight(9, '0');
        return new Timestamp { Seconds = seconds, Nanos = int.Parse(nanosDigits, CultureInfo.InvariantCulture) };
    }

    /// <summary>Integer nanoseconds since the epoch (Level3, OrderAmends: beyond 2^53, so never through a double).</summary>
    public static Timestamp UnixNanoseconds(long nanoseconds) => new()
    {
        Seconds = Math.DivRem(nanoseconds, NanosPerSecond, out var remainder),
        Nanos = (int)remainder,
    };

    /// <summary>An RFC 3339 / ISO 8601 time (<c>2023-07-06T18:52:00Z</c>); null when absent or empty.</summary>
    public static Timestamp? IsoTime(JsonElement parent, string name)
    {
        var text = Text(parent, name);
        if (text.Length == 0)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Timestamp.FromDateTimeOffset(time)
            : throw Unreadable($"'{text}' is not an ISO 8601 time");
    }

    /// <summary>
    /// A time that newer endpoints write either as ISO 8601 text or as unix seconds (the transparency endpoints'
    /// documentation shows both); null when absent or empty.
    /// </summary>
    public static Timestamp? AnyTime(JsonElement parent, string name)
    {
        var text = Text(parent, name);
        return text.Length > 0 && (char.IsAsciiDigit(text[0]) && !text.Contains('-', StringComparison.Ordinal))
            ? UnixSeconds(text)
            : IsoTime(parent, name);
    }

    /// <summary>
    /// A property's name, for mapping an object in one walk over its properties with a <c>switch</c> on the name (a
    /// lookup by name scans the properties again for every field). The name is decoded into <paramref name="buffer"/>
    /// without making a string; one that is escaped, not ASCII or longer than the buffer is unescaped into a string,
    /// as <see cref="JsonProperty.Name"/> does, so it still matches.
    /// </summary>
    public static ReadOnlySpan<char> NameOf(JsonProperty property, Span<char> buffer)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length <= buffer.Length && !raw.Contains((byte)'\\') && Ascii.ToUtf16(raw, buffer, out var length) == OperationStatus.Done)
        {
            return buffer[..length];
        }
        return property.Name;
    }

    /// <summary>A property's value; Undefined (read as empty or absent by every reader here) when the property is missing.</summary>
    public static JsonElement Property(JsonElement parent, string name) => parent.TryGetProperty(name, out var value) ? value : default;

    /// <summary>
    /// Adds the elements of <paramref name="array"/> to <paramref name="list"/>, each mapped, in order, growing the
    /// list once; nothing when the value is absent (Undefined), null or not an array.
    /// </summary>
    public static void Fill<T>(RepeatedField<T> list, JsonElement array, Func<JsonElement, T> map)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        list.Capacity = list.Count + array.GetArrayLength();
        foreach (var item in array.EnumerateArray())
        {
            list.Add(map(item));
        }
    }

    /// <summary>The elements of an array property; empty when absent.</summary>
    public static IEnumerable<JsonElement> Elements(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>
    /// The words of a list Kraken writes either as a comma-separated string (<c>misc</c>, <c>oflags</c>, export
    /// <c>fields</c>) or as an array of strings (<c>ledgers</c>, <c>trades</c>); empty entries dropped, empty when absent.
    /// </summary>
    public static IEnumerable<string> Words(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return [];
        }
        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(Text).ToList() : [Text(value)];
        return items
            .SelectMany(item => item.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
    }

    /// <summary>A boolean Kraken writes as JSON <c>true</c>/<c>false</c> (or, defensively, as that text); false when absent.</summary>
    public static bool Flag(JsonElement parent, string name) =>
        string.Equals(Text(parent, name), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Element <paramref name="index"/> of a Kraken tuple such as <c>["30300.1","1","1.000"]</c>.</summary>
    public static JsonElement At(JsonElement tuple, int index) =>
        tuple.ValueKind == JsonValueKind.Array && tuple.GetArrayLength() > index
            ? tuple[index]
            : throw Unreadable($"expected an array with at least {index + 1} elements, found {tuple.GetRawText()}");

    /// <summary>
    /// Kraken answered with JSON of a shape its documentation does not give. The endpoint is filled in by
    /// <see cref="Services.KrakenCalls"/>, which knows which call was being mapped.
    /// </summary>
    public static KrakenException Unreadable(string problem) =>
        new(KrakenErrorTable.UnreadableResponse, string.Empty, problem);
}
