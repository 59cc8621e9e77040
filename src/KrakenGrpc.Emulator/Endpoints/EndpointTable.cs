using KrakenGrpc.Emulator.Json;
using Microsoft.AspNetCore.Http;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>A request as endpoint handlers see it: already read, so faults, logging and handlers share the bytes.</summary>
internal sealed record EmulatorRequest(
    string Method,
    string Path,
    RequestParameters Parameters,
    ReadOnlyMemory<byte> Body,
    IHeaderDictionary Headers);

/// <summary>
/// An answer: HTTP status and the exact body bytes; JSON unless <paramref name="ContentType"/> says otherwise
/// (RetrieveExport's zip is <c>application/octet-stream</c>). <paramref name="Headers"/> carries the few extra
/// response headers the OAuth endpoints need (<c>WWW-Authenticate</c>, <c>Cache-Control: no-store</c>).
/// </summary>
internal readonly record struct EndpointResponse(int StatusCode, byte[] Body, string? ContentType = null, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    /// <summary>HTTP 200 with Kraken's success envelope.</summary>
    public static EndpointResponse Ok(byte[] body) => new(StatusCodes.Status200OK, body);

    /// <summary>HTTP 200 with Kraken's error envelope: how Kraken reports a rejected request.</summary>
    public static EndpointResponse KrakenError(string error) => new(StatusCodes.Status200OK, KrakenJson.Errors(error));

    /// <summary>HTTP 200 with raw bytes of another type (a zip archive).</summary>
    public static EndpointResponse Binary(byte[] body, string contentType) => new(StatusCodes.Status200OK, body, contentType);
}

internal delegate EndpointResponse EndpointHandler(EmulatorRequest request);

/// <summary>
/// The Kraken paths the emulator answers, one row per endpoint, so a later issue adds the private endpoints with
/// more rows (and their own checks inside the handlers).
/// </summary>
internal sealed class EndpointTable
{
    private readonly Dictionary<string, (HashSet<string> Methods, EndpointHandler Handler)> _rows = new(StringComparer.Ordinal);

    /// <summary>A public endpoint: GET with a query string, and POST with a form body as Kraken also accepts.</summary>
    public void MapPublic(string path, EndpointHandler handler) => Map(path, handler, HttpMethods.Get, HttpMethods.Post);

    /// <summary>A private endpoint: POST only, as Kraken requires for every signed call.</summary>
    public void MapPrivate(string path, EndpointHandler handler) => Map(path, handler, HttpMethods.Post);

    public void Map(string path, EndpointHandler handler, params string[] methods) =>
        _rows.Add(path, (new HashSet<string>(methods, StringComparer.OrdinalIgnoreCase), handler));

    /// <summary>The handler for <paramref name="method"/> on <paramref name="path"/>, or null (Kraken: unknown method).</summary>
    public EndpointHandler? Find(string method, string path) =>
        _rows.TryGetValue(path, out var row) && row.Methods.Contains(method) ? row.Handler : null;
}
