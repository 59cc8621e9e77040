using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Benchmarks.Micro;

/// <summary>
/// The gateway's path from an answer's bytes to the response message (<see cref="KrakenEnvelope.Parse"/>, then the
/// mapping of <c>result</c>, then disposing the document), against the floor: <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>
/// of the same bytes, disposed; and between the two, the parse plus one string for every value, which any mapping to
/// protobuf's string fields has to make. One category per answer: all AssetPairs (~1 MB), Ticker for all pairs, a 500-level Depth.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class MappingBenchmarks
{
    private byte[] _assetPairs = [];
    private byte[] _ticker = [];
    private byte[] _depth = [];
    private int _pairCount;

    [GlobalSetup]
    public void Setup()
    {
        (_assetPairs, _pairCount) = KrakenAnswers.AssetPairs();
        _ticker = KrakenAnswers.Ticker(_pairCount);
        _depth = KrakenAnswers.Depth();
        Console.WriteLine($"// Answers: AssetPairs {_assetPairs.Length:N0} B ({_pairCount} pairs), Ticker {_ticker.Length:N0} B ({_pairCount} pairs), " +
            $"Depth {_depth.Length:N0} B ({KrakenAnswers.DepthLevels} levels a side)");

        // The mapped answers must hold everything that was built, with the number text as the example wrote it.
        var pairs = EnvelopeAndMapAssetPairs();
        var tickers = EnvelopeAndMapTicker();
        var book = EnvelopeAndMapDepth().Books.Values.Single();
        if (pairs.Pairs.Count != _pairCount || tickers.Tickers.Count != _pairCount
            || book.Asks.Count != KrakenAnswers.DepthLevels || book.Bids.Count != KrakenAnswers.DepthLevels
            || pairs.Pairs.Values.First().TakerFeeTiers[0].PercentFee != "0.26")
        {
            throw new InvalidOperationException("The built answers did not map to what was built.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse (floor)")]
    [BenchmarkCategory("AssetPairs")]
    public JsonValueKind ParseAssetPairs() => Parse(_assetPairs);

    [Benchmark(Description = "KrakenEnvelope.Parse + ToAssetPairs")]
    [BenchmarkCategory("AssetPairs")]
    public GetAssetPairsResponse EnvelopeAndMapAssetPairs()
    {
        using var response = KrakenEnvelope.Parse("AssetPairs", _assetPairs, TimeProvider.System);
        return MarketDataMapping.ToAssetPairs(response.Result);
    }

    [Benchmark(Description = "JsonDocument.Parse + every value as a string")]
    [BenchmarkCategory("AssetPairs")]
    public int ParseAndReadEveryValueAssetPairs() => ParseAndReadEveryValue(_assetPairs);

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse (floor)")]
    [BenchmarkCategory("Ticker")]
    public JsonValueKind ParseTicker() => Parse(_ticker);

    [Benchmark(Description = "KrakenEnvelope.Parse + ToTicker")]
    [BenchmarkCategory("Ticker")]
    public GetTickerResponse EnvelopeAndMapTicker()
    {
        using var response = KrakenEnvelope.Parse("Ticker", _ticker, TimeProvider.System);
        return MarketDataMapping.ToTicker(response.Result);
    }

    [Benchmark(Description = "JsonDocument.Parse + every value as a string")]
    [BenchmarkCategory("Ticker")]
    public int ParseAndReadEveryValueTicker() => ParseAndReadEveryValue(_ticker);

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse (floor)")]
    [BenchmarkCategory("Depth")]
    public JsonValueKind ParseDepth() => Parse(_depth);

    [Benchmark(Description = "KrakenEnvelope.Parse + ToOrderBook")]
    [BenchmarkCategory("Depth")]
    public GetOrderBookResponse EnvelopeAndMapDepth()
    {
        using var response = KrakenEnvelope.Parse("Depth", _depth, TimeProvider.System);
        return MarketDataMapping.ToOrderBook(response.Result);
    }

    [Benchmark(Description = "JsonDocument.Parse + every value as a string")]
    [BenchmarkCategory("Depth")]
    public int ParseAndReadEveryValueDepth() => ParseAndReadEveryValue(_depth);

    private static int ParseAndReadEveryValue(byte[] answer)
    {
        using var document = JsonDocument.Parse(answer.AsMemory());
        return ReadEveryValue(document.RootElement);
    }

    // The strings any mapping to protobuf must make: one per scalar (decimal text stays text). Property names are
    // not made into strings (the mapping only does so for the pair names), nor are any messages built.
    private static int ReadEveryValue(JsonElement value)
    {
        var characters = 0;
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    characters += ReadEveryValue(member.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    characters += ReadEveryValue(item);
                }
                break;
            case JsonValueKind.String:
                characters += value.GetString()!.Length;
                break;
            case JsonValueKind.Number:
                characters += value.GetRawText().Length;
                break;
            default:
                break;
        }
        return characters;
    }

    private static JsonValueKind Parse(byte[] answer)
    {
        using var document = JsonDocument.Parse(answer.AsMemory());
        return document.RootElement.ValueKind;
    }
}
