using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KrakenGrpc.Emulator.Json;

/// <summary>
/// Writes Kraken's envelope: <c>{"error":[],"result":...}</c> on success, <c>{"error":["EQuery:..."]}</c> (no result)
/// on failure. Output is compact like Kraken's, and strings are not HTML-escaped so "+0000" and "XBT/USD" come out
/// byte for byte as Kraken sends them.
/// </summary>
internal static class KrakenJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>A success envelope whose <c>result</c> value is written by <paramref name="writeResult"/>.</summary>
    public static byte[] Result(Action<Utf8JsonWriter> writeResult)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("error");
            writer.WriteEndArray();
            writer.WritePropertyName("result");
            writeResult(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A failure envelope: only the <c>error</c> array, as Kraken answers a rejected request.</summary>
    public static byte[] Errors(params string[] errors)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("error");
            foreach (var error in errors)
            {
                writer.WriteStringValue(error);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Any other JSON document (the <c>/_emulator/</c> control answers), with the same writer settings.</summary>
    public static byte[] Document(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
