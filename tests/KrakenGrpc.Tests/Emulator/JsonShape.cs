using System.Globalization;
using System.Text.Json;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>
/// Compares the shape of an emulator answer with Kraken's documented example: the same keys in the same order in
/// every object, the same JSON kinds (a number where Kraken writes a number, a string where it writes a string),
/// tuples of the same length, and decimal strings with the same number of decimals ("30300.10000" vs "87012.30000").
/// Lists of records (candles, trades, levels) are compared element by element against the example's first element.
/// </summary>
internal static class JsonShape
{
    /// <summary>Every difference found, as "path: what" lines; empty when the shapes match.</summary>
    public static List<string> Differences(JsonElement expected, JsonElement actual, string path = "$")
    {
        var differences = new List<string>();
        Compare(expected, actual, path, differences);
        return differences;
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        if (Kind(expected) != Kind(actual))
        {
            differences.Add($"{path}: expected {Kind(expected)} but found {Kind(actual)} ({actual.GetRawText()})");
            return;
        }

        switch (expected.ValueKind)
        {
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
                    Compare(expected.GetProperty(key), actual.GetProperty(key), $"{path}.{key}", differences);
                }

                break;

            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToArray();
                var actualItems = actual.EnumerateArray().ToArray();
                if (expectedItems.Length == 0)
                {
                    break;
                }

                if (expectedItems.All(IsScalar))
                {
                    // A tuple ([price, volume, time]) or a short fixed list: position by position.
                    if (expectedItems.Length != actualItems.Length)
                    {
                        differences.Add($"{path}: expected {expectedItems.Length} items but found {actualItems.Length}");
                        return;
                    }

                    for (var i = 0; i < expectedItems.Length; i++)
                    {
                        Compare(expectedItems[i], actualItems[i], $"{path}[{i}]", differences);
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
                        Compare(expectedItems[0], actualItems[i], $"{path}[{i}]", differences);
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

    private static bool IsScalar(JsonElement element) => element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Decimals of a plain decimal string ("30300.10000" -> 5, "1" -> 0); null for other text.</summary>
    private static int? DecimalPlaces(string text)
    {
        if (text.Length == 0 || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : text.Length - dot - 1;
    }
}
