using System.Text.Json;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Shape checks for the funding and Earn answers whose documented examples are lists of records that differ in their
/// optional keys (DepositStatus: one entry has "status-prop", the other "originators" and no "fee").
/// </summary>
internal static class ListShape
{
    /// <summary>The documented example's <c>result</c>.</summary>
    public static JsonElement ExampleResult(string fixture)
    {
        using var document = JsonDocument.Parse(Fixtures.Bytes(fixture));
        return document.RootElement.GetProperty("result").Clone();
    }

    /// <summary>
    /// Each actual entry against the example's entry at the same position: same keys in the same order, same kinds,
    /// same decimals (for answers that reproduce the example's records one for one, such as XBT's methods).
    /// </summary>
    public static List<string> SameAsExample(string fixture, JsonElement actual)
    {
        var expected = ExampleResult(fixture).EnumerateArray().ToArray();
        var items = actual.EnumerateArray().ToArray();
        var differences = new List<string>();
        if (items.Length != expected.Length)
        {
            differences.Add($"expected {expected.Length} entries but found {items.Length}");
            return differences;
        }

        for (var i = 0; i < items.Length; i++)
        {
            differences.AddRange(PrivateShape.Differences(expected[i], items[i], new Dictionary<string, string?>()).Select(d => $"[{i}]{d[1..]}"));
        }

        return differences;
    }

    /// <summary>
    /// Each actual entry against all of the example's entries: its keys appear in the examples' key order, the keys
    /// every example entry has are present, and each value has the kind and decimals of the first example entry that
    /// carries the key. The actual list must not be empty. <paramref name="optional"/> names keys every example
    /// shows but that only apply to some records.
    /// </summary>
    public static List<string> FollowsExample(JsonElement expectedItems, JsonElement actual, params string[] optional)
    {
        var examples = expectedItems.EnumerateArray().ToArray();
        var order = new List<string>();
        foreach (var example in examples)
        {
            foreach (var property in example.EnumerateObject())
            {
                if (!order.Contains(property.Name))
                {
                    order.Add(property.Name);
                }
            }
        }

        var required = order.Where(k => !optional.Contains(k) && examples.All(e => e.TryGetProperty(k, out _))).ToArray();
        var differences = new List<string>();
        var items = actual.EnumerateArray().ToArray();
        if (items.Length == 0)
        {
            differences.Add("expected a non-empty list");
        }

        for (var i = 0; i < items.Length; i++)
        {
            var keys = items[i].EnumerateObject().Select(p => p.Name).ToArray();
            var unknown = keys.Where(k => !order.Contains(k)).ToArray();
            if (unknown.Length > 0)
            {
                differences.Add($"[{i}]: keys not in the example: {string.Join(",", unknown)}");
                continue;
            }

            if (!keys.SequenceEqual(keys.OrderBy(order.IndexOf)))
            {
                differences.Add($"[{i}]: keys [{string.Join(",", keys)}] are not in the example's order [{string.Join(",", order)}]");
            }

            var missing = required.Where(k => !keys.Contains(k)).ToArray();
            if (missing.Length > 0)
            {
                differences.Add($"[{i}]: missing {string.Join(",", missing)}");
            }

            foreach (var key in keys)
            {
                var model = examples.First(e => e.TryGetProperty(key, out _)).GetProperty(key);
                differences.AddRange(PrivateShape.Differences(model, items[i].GetProperty(key), new Dictionary<string, string?>()).Select(d => $"[{i}].{key}{d[1..]}"));
            }
        }

        return differences;
    }
}
