using System.Text;

namespace KrakenGrpc.Emulator;

/// <summary>One request as it reached the emulator, kept for tests to inspect.</summary>
/// <param name="ReceivedAt">Wall-clock time of arrival.</param>
/// <param name="Method">HTTP method ("GET", "POST").</param>
/// <param name="Path">Request path ("/0/public/Ticker").</param>
/// <param name="Query">The raw query string without its leading '?' ("pair=XBTUSD"), empty when there is none.</param>
/// <param name="Body">The exact body bytes (what a signature is computed over, for private calls).</param>
/// <param name="Headers">Request headers; names compare case-insensitively, repeated headers are joined with ", ".</param>
public sealed record RecordedRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string Query,
    ReadOnlyMemory<byte> Body,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);
}
