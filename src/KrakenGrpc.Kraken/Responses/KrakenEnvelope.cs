using System.Text.Json;
using KrakenGrpc.Kraken.Errors;

namespace KrakenGrpc.Kraken.Responses;

/// <summary>
/// Reads Kraken's <c>{"error":[...],"result":...}</c> envelope. Only <c>E</c> entries fail a call; <c>W</c> entries
/// are warnings that travel with the result (treating them as failures invites a caller to place an order twice).
/// </summary>
public static class KrakenEnvelope
{
    /// <summary>Parses a body into a response, or throws <see cref="KrakenException"/> for Kraken errors and unreadable bodies.</summary>
    public static KrakenResponse Parse(string endpoint, ReadOnlyMemory<byte> body, TimeProvider time)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw Unreadable(endpoint, "is not JSON", e);
        }

        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Unreadable(endpoint, "is not a JSON object");
            }

            var (errors, warnings) = ReadMessages(endpoint, root);
            if (errors.Count > 0)
            {
                throw Refused(endpoint, errors, time);
            }
            if (!root.TryGetProperty("result", out var result))
            {
                throw Unreadable(endpoint, "has neither an error nor a result");
            }

            var response = new KrakenResponse(document, result, warnings);
            document = null!;
            return response;
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>
    /// Parses an OAuth answer. These are not Kraken envelopes: the token exchange answers the token object itself,
    /// the user calls wrap theirs in <c>result</c>. An <c>error</c> array, if Kraken sends one, still fails the call.
    /// </summary>
    public static KrakenResponse ParseOAuth(string endpoint, ReadOnlyMemory<byte> body, TimeProvider time)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw Unreadable(endpoint, "is not JSON", e);
        }

        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Unreadable(endpoint, "is not a JSON object");
            }
            var (errors, warnings) = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Array
                ? ReadMessages(endpoint, root)
                : ([], []);
            if (errors.Count > 0)
            {
                throw Refused(endpoint, errors, time);
            }

            var response = new KrakenResponse(document, root.TryGetProperty("result", out var result) ? result : root, warnings);
            document = null!;
            return response;
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>
    /// The error entries of a body, read without parsing the result: Kraken writes <c>error</c> first, so this stops
    /// after a few bytes of a large answer. Used where only the errors matter (deciding a retry, reading a non-200
    /// answer). Returns an empty list for anything that is not an envelope with errors.
    /// </summary>
    public static IReadOnlyList<string> ErrorsOf(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return [];
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (!reader.TrySkip())
                    {
                        return [];
                    }
                    continue;
                }

                List<string> errors = [];
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return [];
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var text = reader.GetString()!;
                    if (!text.StartsWith('W'))
                    {
                        errors.Add(text);
                    }
                }
                return errors;
            }
            return [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The exception for a call Kraken refused, classified by its first error.</summary>
    public static KrakenException Refused(string endpoint, IReadOnlyList<string> errors, TimeProvider time) =>
        new(KrakenErrorTable.Classify(errors[0], time.GetUtcNow()), endpoint, $"Kraken refused {endpoint}: {string.Join("; ", errors)}", errors);

    private static (List<string> Errors, List<string> Warnings) ReadMessages(string endpoint, JsonElement root)
    {
        List<string> errors = [];
        List<string> warnings = [];
        if (!root.TryGetProperty("error", out var messages) || messages.ValueKind == JsonValueKind.Null)
        {
            return (errors, warnings);
        }
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw Unreadable(endpoint, "has an 'error' member that is not an array");
        }

        foreach (var message in messages.EnumerateArray())
        {
            var text = message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetRawText();
            // Anything not marked as a warning counts as an error: claiming success for an unknown message is the
            // more dangerous mistake.
            (text.StartsWith('W') ? warnings : errors).Add(text);
        }
        return (errors, warnings);
    }

    private static KrakenException Unreadable(string endpoint, string problem, Exception? inner = null) =>
        new(KrakenErrorTable.UnreadableResponse, endpoint, $"Kraken's answer to {endpoint} {problem}.", innerException: inner);
}
