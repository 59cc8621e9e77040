using System.Globalization;
using System.Text.Json;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// <see cref="JsonShape"/> for private answers, whose results are maps keyed by ids (txids, trade and ledger ids,
/// asset ids) rather than fixed keys. At the paths named in <c>maps</c> an object is a map: each of its values is
/// compared with one template value of the example (the first, a named one, or "=" for the value with the same key).
/// Lists of strings are lists, not tuples; an example's null also accepts a string (Kraken types these string|null).
/// Elsewhere the rules are JsonShape's: same keys in the same order, same JSON kinds, same decimals in decimal strings.
/// </summary>
internal static class PrivateShape
{
    public static List<string> Differences(JsonElement expected, JsonElement actual, IReadOnlyDictionary<string, string?> maps)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", maps, differences);
        return differences;
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, IReadOnlyDictionary<string, string?> maps, List<string> differences)
    {
        if (expected.ValueKind == JsonValueKind.Null && actual.ValueKind is JsonValueKind.Null or JsonValueKind.String)
        {
            return;
        }

        if (Kind(expected) != Kind(actual))
        {
            differences.Add($"{path}: expected {Kind(expected)} but found {Kind(actual)} ({actual.GetRawText()})");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object when maps.TryGetValue(path, out var template):
                var entries = actual.EnumerateObject().ToArray();
                if (entries.Length == 0)
                {
                    differences.Add($"{path}: expected a non-empty map");
                }

                foreach (var entry in entries)
                {
                    JsonElement model;
                    if (template == "=")
                    {
                        if (!expected.TryGetProperty(entry.Name, out model))
                        {
                            continue;
                        }
                    }
                    else
                    {
                        model = template is null ? expected.EnumerateObject().First().Value : expected.GetProperty(template);
                    }

                    Compare(model, entry.Value, path + ".*", maps, differences);
                }

                break;

            case JsonValueKind.Object:
                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToArray();
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToArray();
                if (!expectedKeys.SequenceEqual(actualKeys, StringComparer.Ordinal))
                {
                    differences.Add($"{path}: keys [{string.Join(",", expectedKeys)}] but found [{string.Join(",", actualKeys)}]");
                    return;
                }

                foreach (var key in expectedKeys)
                {
                    Compare(expected.GetProperty(key), actual.GetProperty(key), $"{path}.{key}", maps, differences);
                }

                break;

            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToArray();
                var actualItems = actual.EnumerateArray().ToArray();
                if (expectedItems.Length == 0)
                {
                    break;
                }

                var isTuple = expectedItems.All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                    && !expectedItems.All(e => e.ValueKind == JsonValueKind.String);
                if (isTuple)
                {
                    if (expectedItems.Length != actualItems.Length)
                    {
                        differences.Add($"{path}: expected {expectedItems.Length} items but found {actualItems.Length}");
                        return;
                    }

                    for (var i = 0; i < expectedItems.Length; i++)
                    {
                        Compare(expectedItems[i], actualItems[i], $"{path}[{i}]", maps, differences);
                    }
                }
                else
                {
                    if (actualItems.Length == 0)
                    {
                        differences.Add($"{path}: expected a non-empty list");
                    }

                    for (var i = 0; i < actualItems.Length; i++)
                    {
                        Compare(expectedItems[0], actualItems[i], $"{path}[{i}]", maps, differences);
                    }
                }

                break;

            case JsonValueKind.String:
                var expectedDecimals = DecimalPlaces(expected.GetString()!);
                if (expectedDecimals is not null && DecimalPlaces(actual.GetString()!) != expectedDecimals)
                {
                    differences.Add($"{path}: expected a decimal string with {expectedDecimals} decimals but found \"{actual.GetString()}\"");
                }

                break;
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString().ToLowerInvariant(),
    };

    private static int? DecimalPlaces(string text)
    {
        if (text.Length == 0 || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : text.Length - dot - 1;
    }
}
