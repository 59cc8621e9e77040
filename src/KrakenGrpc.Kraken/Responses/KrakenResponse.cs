using System.Text.Json;

namespace KrakenGrpc.Kraken.Responses;

/// <summary>
/// A successful Kraken answer: the <c>result</c> element (an object, an array, a bare scalar, or null for some Earn
/// calls) and any <c>W</c> warnings that came with it. Owns the parsed document; dispose it after mapping.
/// </summary>
public sealed class KrakenResponse : IDisposable
{
    private readonly JsonDocument _document;

    internal KrakenResponse(JsonDocument document, JsonElement result, IReadOnlyList<string> warnings)
    {
        _document = document;
        Result = result;
        Warnings = warnings;
    }

    /// <summary>Kraken's <c>result</c>, untouched: decimal text is still exactly as Kraken wrote it.</summary>
    public JsonElement Result { get; }

    /// <summary>Warnings (<c>W...</c> entries). A warning never turns a success into a failure.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public void Dispose() => _document.Dispose();
}
