using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// A request's parameters, from the query string and, for POSTs, the body: form-encoded like Kraken's legacy
/// public POSTs and private calls, or a JSON object (the few JSON-bodied endpoints). Names are case-sensitive, as
/// Kraken's are. A later occurrence of a name wins.
/// </summary>
internal sealed class RequestParameters
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static RequestParameters Parse(string queryString, string? contentType, ReadOnlyMemory<byte> body)
    {
        var parameters = new RequestParameters();
        parameters.AddForm(queryString);
        if (body.Length > 0 && contentType is not null)
        {
            if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                parameters.AddForm(Encoding.UTF8.GetString(body.Span));
            }
            else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                parameters.AddJson(body);
            }
        }

        return parameters;
    }

    /// <summary>
    /// Every parameter as text: form values decoded, JSON strings unquoted, other JSON values (numbers, booleans,
    /// arrays, objects) as their raw JSON text.
    /// </summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The value, or null when the parameter is absent.</summary>
    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>The value, or null when absent or empty (Kraken treats "pair=" like no pair).</summary>
    public string? NonEmpty(string name) => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>
    /// An optional integer within [<paramref name="min"/>, <paramref name="max"/>]; false when present but not such
    /// an integer (the caller then answers EGeneral:Invalid arguments).
    /// </summary>
    public bool TryGetInt(string name, int fallback, int min, int max, out int value)
    {
        value = fallback;
        var text = NonEmpty(name);
        if (text is null)
        {
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    /// <summary>An optional non-negative integer (cursors); false when present but not one.</summary>
    public bool TryGetCursor(string name, out long? value)
    {
        value = null;
        var text = NonEmpty(name);
        if (text is null)
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>A comma-delimited list, blanks dropped ("XBTUSD,ETHUSD").</summary>
    public static IEnumerable<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private void AddForm(string text)
    {
        foreach (var (name, value) in QueryHelpers.ParseQuery(text))
        {
            _values[name] = value.Count > 0 ? value[^1] ?? string.Empty : string.Empty;
        }
    }

    private void AddJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                _values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString() ?? string.Empty
                    : property.Value.GetRawText();
            }
        }
        catch (JsonException)
        {
            // An unreadable body adds no parameters; the endpoint then reports what is missing.
        }
    }
}
