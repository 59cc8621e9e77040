using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KrakenGrpc.Kraken.Requests;

/// <summary>
/// Turns <see cref="KrakenParameters"/> into the exact text Kraken receives. The bytes produced here are the bytes
/// that are signed and sent, so nothing may re-encode them afterwards.
/// </summary>
public static class KrakenRequestEncoder
{
    /// <summary>
    /// Form (and query string) encoding: <c>name=value&amp;...</c>, lists comma-joined without spaces, nested objects
    /// as <c>name[key]</c>. A literal <c>+</c> is written <c>%2b</c> because Kraken would otherwise read a space.
    /// The nonce, when given, comes first.
    /// </summary>
    public static string EncodeForm(KrakenParameters parameters, long? nonce = null)
    {
        var text = new StringBuilder();
        if (nonce is { } value)
        {
            text.Append("nonce=").Append(value.ToString(CultureInfo.InvariantCulture));
        }
        AppendForm(text, prefix: null, parameters);
        return text.ToString();
    }

    /// <summary>
    /// JSON encoding: one object, the nonce first as a JSON number, decimals as JSON strings (their text unchanged),
    /// lists as arrays, nested objects as objects.
    /// </summary>
    public static byte[] EncodeJson(KrakenParameters parameters, long? nonce = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            if (nonce is { } value)
            {
                writer.WriteNumber("nonce", value);
            }
            WriteJsonMembers(writer, parameters);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    // The default encoder escapes '+' and non-ASCII as \uXXXX; Kraken should see the characters the caller sent.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void AppendForm(StringBuilder text, string? prefix, KrakenParameters parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var key = prefix is null ? name : $"{prefix}[{name}]";
            if (value is KrakenParameters nested)
            {
                AppendForm(text, key, nested);
                continue;
            }

            if (text.Length > 0)
            {
                text.Append('&');
            }
            text.Append(Escape(key)).Append('=').Append(Escape(FormValue(key, value)));
        }
    }

    private static string FormValue(string key, object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        long number => number.ToString(CultureInfo.InvariantCulture),
        string[] list => string.Join(',', list),
        _ => throw new ArgumentException($"Parameter '{key}' holds a list of objects, which only a JSON body can carry.", nameof(value)),
    };

    // RFC 3986 escaping, with Kraken's documented spelling of the plus sign.
    private static string Escape(string text) => Uri.EscapeDataString(text).Replace("%2B", "%2b", StringComparison.Ordinal);

    private static void WriteJsonMembers(Utf8JsonWriter writer, KrakenParameters parameters)
    {
        foreach (var (name, value) in parameters)
        {
            writer.WritePropertyName(name);
            WriteJsonValue(writer, value);
        }
    }

    private static void WriteJsonValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case string[] list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }
                writer.WriteEndArray();
                break;
            case KrakenParameters nested:
                writer.WriteStartObject();
                WriteJsonMembers(writer, nested);
                writer.WriteEndObject();
                break;
            case KrakenParameters[] objects:
                writer.WriteStartArray();
                foreach (var item in objects)
                {
                    WriteJsonValue(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Unsupported parameter value of type {value.GetType().Name}.", nameof(value));
        }
    }
}
