using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace KrakenGrpc.Tests.Support;

/// <summary>
/// Collects decimal text on both sides of a mapping, so a test can show that every number Kraken wrote as text
/// reached the contract unchanged (none dropped, none reformatted).
/// </summary>
public static partial class MessageText
{
    /// <summary>Every JSON string in <paramref name="json"/> that is decimal text ("30300.10000", "0", "-1.5").</summary>
    public static List<string> DecimalStrings(JsonElement json)
    {
        List<string> found = [];
        Walk(json);
        return found;

        void Walk(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        Walk(member.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }
                    break;
                case JsonValueKind.String when Decimal().IsMatch(element.GetString()!):
                    found.Add(element.GetString()!);
                    break;
            }
        }
    }

    /// <summary>
    /// Every decimal text of a private answer: decimal strings, signed ones too ("+154186.9728"), and the raw text of
    /// JSON numbers, leaving out the keys the contract types (times, counts, ids) rather than copies as text.
    /// </summary>
    public static List<string> DecimalTexts(JsonElement json, IReadOnlyCollection<string> typedKeys)
    {
        List<string> found = [];
        Walk(json);
        return found;

        void Walk(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject().Where(m => !typedKeys.Contains(m.Name)))
                    {
                        Walk(member.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }
                    break;
                case JsonValueKind.String when SignedDecimal().IsMatch(element.GetString()!):
                    found.Add(element.GetString()!);
                    break;
                case JsonValueKind.Number:
                    found.Add(element.GetRawText());
                    break;
            }
        }
    }

    /// <summary>Every string field value anywhere in a protobuf message (nested messages, lists and maps included).</summary>
    public static List<string> Strings(IMessage message)
    {
        List<string> found = [];
        Walk(message);
        return found;

        void Walk(IMessage current)
        {
            foreach (var field in current.Descriptor.Fields.InFieldNumberOrder())
            {
                var value = field.Accessor.GetValue(current);
                if (field.IsMap)
                {
                    foreach (var entry in (System.Collections.IDictionary)value)
                    {
                        var pair = (System.Collections.DictionaryEntry)entry;
                        Visit(field.MessageType.FindFieldByNumber(2), pair.Value);
                    }
                }
                else if (field.IsRepeated)
                {
                    foreach (var item in (System.Collections.IEnumerable)value)
                    {
                        Visit(field, item);
                    }
                }
                else
                {
                    Visit(field, value);
                }
            }
        }

        void Visit(FieldDescriptor field, object? value)
        {
            if (field.FieldType == FieldType.String && value is string text)
            {
                found.Add(text);
            }
            else if (field.FieldType == FieldType.Message && value is IMessage nested)
            {
                Walk(nested);
            }
        }
    }

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex Decimal();

    [GeneratedRegex(@"^[+-]?\d+(\.\d+)?$")]
    private static partial Regex SignedDecimal();
}
