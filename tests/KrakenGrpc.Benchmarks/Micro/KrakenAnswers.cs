using System.Text.Json;

namespace KrakenGrpc.Benchmarks.Micro;

/// <summary>
/// Large Kraken answers built from the documented examples (<c>../shared/kraken/fixtures/docs/</c>, beside the
/// repository): an example's entries are repeated under new names (or, for a book, its levels repeated) until the
/// answer has the size of a real one. Entries are copied with <see cref="JsonElement.WriteTo"/>, which writes every
/// number token as the text it was read from, and written compact as Kraken sends them.
/// </summary>
internal static class KrakenAnswers
{
    /// <summary>All pairs' AssetPairs: about 1 MB, roughly what Kraken answers for its ~1 100 pairs.</summary>
    public const int AssetPairsBytes = 1_000_000;

    /// <summary>A Depth answer with this many levels on each side (the most GetOrderBook allows).</summary>
    public const int DepthLevels = 500;

    /// <summary>AssetPairs for all pairs: the example's pairs repeated under distinct names until ~1 MB.</summary>
    public static (byte[] Answer, int PairCount) AssetPairs()
    {
        using var example = Example("AssetPairs");
        var entries = example.RootElement.GetProperty("result").EnumerateObject().ToList();
        var names = new List<string>();
        var answer = Envelope(result =>
        {
            for (var copy = 0; result.BytesCommitted + result.BytesPending < AssetPairsBytes; copy++)
            {
                foreach (var entry in entries)
                {
                    names.Add($"{entry.Name}{copy:D4}");
                    result.WritePropertyName(names[^1]);
                    entry.Value.WriteTo(result);
                }
            }
        });
        return (answer, names.Count);
    }

    /// <summary>Ticker for <paramref name="pairCount"/> pairs: the example's ticker repeated under distinct names.</summary>
    public static byte[] Ticker(int pairCount)
    {
        using var example = Example("Ticker");
        var entries = example.RootElement.GetProperty("result").EnumerateObject().ToList();
        return Envelope(result =>
        {
            for (var index = 0; index < pairCount; index++)
            {
                var entry = entries[index % entries.Count];
                result.WritePropertyName($"{entry.Name}{index:D4}");
                entry.Value.WriteTo(result);
            }
        });
    }

    /// <summary>Depth of one pair with <see cref="DepthLevels"/> asks and bids: the example's levels repeated in turn.</summary>
    public static byte[] Depth()
    {
        using var example = Example("Depth");
        var (pair, book) = example.RootElement.GetProperty("result").EnumerateObject().Select(entry => (entry.Name, entry.Value)).Single();
        return Envelope(result =>
        {
            result.WritePropertyName(pair);
            result.WriteStartObject();
            foreach (var side in new[] { "asks", "bids" })
            {
                var levels = book.GetProperty(side).EnumerateArray().ToList();
                result.WritePropertyName(side);
                result.WriteStartArray();
                for (var index = 0; index < DepthLevels; index++)
                {
                    levels[index % levels.Count].WriteTo(result);
                }
                result.WriteEndArray();
            }
            result.WriteEndObject();
        });
    }

    private static byte[] Envelope(Action<Utf8JsonWriter> writeResultMembers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("error");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("result");
            writer.WriteStartObject();
            writeResultMembers(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static JsonDocument Example(string endpoint) => JsonDocument.Parse(File.ReadAllBytes(ExamplePath(endpoint)));

    private static string ExamplePath(string endpoint)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KrakenGrpc.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "kraken", "fixtures", "docs", endpoint + ".json"));
            }
        }
        throw new DirectoryNotFoundException("KrakenGrpc.sln not found above the harness; the examples are read from ../shared/kraken beside it.");
    }
}
