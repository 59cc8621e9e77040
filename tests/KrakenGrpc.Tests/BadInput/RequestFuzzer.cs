using System.Collections;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using KrakenGrpc.Tests.Support;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace KrakenGrpc.Tests.BadInput;

/// <summary>
/// Random requests for any RPC, built from its descriptor: each field is left unset, given a plausible value, or
/// given something hostile (control characters, unicode, huge text, decimal look-alikes, thousands of list entries,
/// enum numbers the contract does not define, extreme integers and times). Also raw bytes that are not a valid
/// protobuf message at all. Deterministic for a given <see cref="Random"/> seed, so a failure can be replayed.
/// </summary>
internal sealed class RequestFuzzer(Random random)
{
    /// <summary>Text that looks like a number, a list, or nothing, and that a careless parser would take.</summary>
    private static readonly string[] Tricky =
    [
        "", " ", "\t", "\r\n", "0", "00", "0.0", "000.000", "-0", "-1", "+1", ".5", "1.", "1..2", "1.2.3", ".", "..",
        "1e5", "1E-5", "1e400", "NaN", "nan", "Infinity", "-Infinity", "∞", " 1", "1 ", "1,5", "1_000", "0x10", "0b1",
        "١٢٣", "１２", "𝟙", "\uFEFF1", "1\u00A0", "99999999999999999999999999999999", "79228162514264337593543950336",
        "0.00000000000000000000000000000001", "+5%", "-5%", "#5", "%", "+", "-", "#", "+%", "+0", "\0", "\u0001\u001f\u007f",
        "null", "true", "[]", "{}", "';--", "a,b", ",", ",,", "XBT,USD", "\u202eDSUTBX", "😀", "é", "\uD83D\uDE00\uD83D\uDE00",
        "XBTUSD\0", "%00", "%2C", "&pair=ETHUSD", "a=b&c=d", "<script>", "../../etc/passwd", "\\", "\"", "'", "1/0",
        "2147483648", "-2147483649", "9223372036854775808", "18446744073709551616",
    ];

    private static readonly int[] TrickyInts = [0, 1, -1, 2, 15, 16, 50, 51, 500, 501, 999, 65_535, 65_536, 86_399, 86_400, int.MaxValue, int.MinValue];

    private static readonly long[] TrickyLongs = [0, 1, -1, 86_400, int.MaxValue, (long)int.MaxValue + 1, long.MaxValue, long.MinValue];

    private static readonly int[] TrickyEnums = [0, 999, -1, 100, int.MaxValue, int.MinValue];

    /// <summary>A random request for <paramref name="method"/>.</summary>
    public IMessage Request(MethodDescriptor method) => Message(method.InputType, depth: 0);

    /// <summary>Bytes on the wire that are not a well-formed request of <paramref name="method"/>, or only just are.</summary>
    public byte[] RawRequest(MethodDescriptor method)
    {
        var valid = Request(method).ToByteArray();
        var stringField = method.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String && !f.IsRepeated);
        var number = stringField?.FieldNumber ?? 1;
        switch (random.Next(9))
        {
            case 0:
                return Bytes(random.Next(1, 64));
            case 1 when valid.Length > 1:
                return valid[..random.Next(1, valid.Length)];
            case 2 when valid.Length > 0:
                var flipped = (byte[])valid.Clone();
                flipped[random.Next(flipped.Length)] ^= (byte)random.Next(1, 256);
                return flipped;
            case 3:
                // A string field holding bytes that are not UTF-8.
                return [.. Tag(number, 2), 3, 0xC3, 0x28, 0xFF];
            case 4:
                // A varint of eleven bytes: longer than any 64-bit number.
                return [.. Tag(number, 0), .. Enumerable.Repeat((byte)0xFF, 10), 0x01];
            case 5:
                // A length that runs past the end of the message.
                return [.. Tag(number, 2), 0xFF, 0xFF, 0x03, (byte)'a'];
            case 6:
                // A group that never ends, and a wire type that does not exist.
                return [.. Tag(number, 3), .. Tag(number + 1, 7), 0x00];
            case 7:
                // Messages nested far deeper than any parser allows.
                return Nested(number, 150);
            default:
                // A field number the contract does not define: valid protobuf, ignored by the parser.
                return [.. valid, .. Tag(1_000 + random.Next(10_000), 2), 2, (byte)'h', (byte)'i'];
        }
    }

    private IMessage Message(MessageDescriptor descriptor, int depth)
    {
        if (descriptor.FullName == Timestamp.Descriptor.FullName)
        {
            return Time();
        }
        if (descriptor.FullName == Duration.Descriptor.FullName)
        {
            return Span();
        }
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsMap || random.Next(3) == 0)
            {
                continue;
            }
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                var count = random.Next(10) switch
                {
                    0 => field.FieldType == FieldType.Message ? random.Next(16, 200) : random.Next(1_000, 5_000),
                    < 4 => 0,
                    _ => random.Next(1, 4),
                };
                for (var i = 0; i < count; i++)
                {
                    // Thousands of entries stay short each, so the message stays well inside gRPC's 4 MB limit.
                    list.Add(Value(field, depth, small: count > 50));
                }
            }
            else
            {
                field.Accessor.SetValue(message, Value(field, depth, small: false));
            }
        }
        return message;
    }

    private object Value(FieldDescriptor field, int depth, bool small) => field.FieldType switch
    {
        FieldType.String => small ? Text(field.Name, maxLength: 24) : Text(field.Name, maxLength: 0),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => random.Next(2) == 0 ? TrickyInts[random.Next(TrickyInts.Length)] : random.Next(int.MinValue, int.MaxValue),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => random.Next(2) == 0 ? TrickyLongs[random.Next(TrickyLongs.Length)] : random.NextInt64(long.MinValue, long.MaxValue),
        FieldType.UInt32 or FieldType.Fixed32 => (uint)random.NextInt64(0, uint.MaxValue),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)random.NextInt64(long.MinValue, long.MaxValue),
        FieldType.Double => random.Next(3) == 0 ? double.NaN : random.NextDouble() * 1e20,
        FieldType.Float => random.Next(3) == 0 ? float.PositiveInfinity : random.NextSingle(),
        FieldType.Bytes => ByteString.CopyFrom(Bytes(random.Next(0, 64))),
        FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType, EnumNumber(field.EnumType)),
        FieldType.Message => depth < 3 ? Message(field.MessageType, depth + 1) : field.MessageType.Parser.ParseFrom(ByteString.Empty),
        _ => throw new NotSupportedException($"{field.FullName}: {field.FieldType}"),
    };

    private int EnumNumber(EnumDescriptor type) => random.Next(3) == 0
        ? TrickyEnums[random.Next(TrickyEnums.Length)]
        : type.Values[random.Next(type.Values.Count)].Number;

    /// <summary>Text for a field: plausible for its name, tricky, random, or (unless <paramref name="maxLength"/> caps it) huge.</summary>
    private string Text(string fieldName, int maxLength)
    {
        var text = random.Next(12) switch
        {
            < 3 => EveryRpc.PlausibleText(fieldName) ?? PlausibleNumber(),
            < 6 => Tricky[random.Next(Tricky.Length)],
            6 => PlausibleNumber(),
            7 => Ascii(random.Next(0, 40)),
            8 => Unicode(random.Next(1, 40)),
            9 => Controls(random.Next(1, 10)),
            10 => Decoration(EveryRpc.PlausibleText(fieldName) ?? PlausibleNumber()),
            _ => Huge(),
        };
        if (maxLength > 0 && text.Length > maxLength)
        {
            // Never cut a surrogate pair in two: the client could not encode the half.
            text = text[..(char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength)];
        }
        return text;
    }

    private string PlausibleNumber() => random.Next(4) switch
    {
        0 => random.Next(1, 100_000).ToString(CultureInfo.InvariantCulture),
        1 => (random.Next(1, 1_000_000) / 1_000m).ToString(CultureInfo.InvariantCulture),
        2 => "0." + new string('0', random.Next(0, 30)) + random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
        _ => new string((char)('1' + random.Next(9)), random.Next(1, 70)),
    };

    // A plausible value one character away from right.
    private string Decoration(string value) => random.Next(5) switch
    {
        0 => " " + value,
        1 => value + "\n",
        2 => "+" + value,
        3 => value + "e3",
        _ => value.Length > 0 ? value.Insert(random.Next(value.Length), ",") : ",",
    };

    private string Huge() => random.Next(3) switch
    {
        0 => new string('9', random.Next(1_000, 300_000)),
        1 => Ascii(random.Next(1_000, 100_000)),
        _ => Unicode(random.Next(1_000, 50_000)),
    };

    private string Ascii(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next(0x20, 0x7F);
        }
        return new string(chars);
    }

    private string Controls(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)(random.Next(2) == 0 ? random.Next(0, 0x20) : random.Next(0x7F, 0xA0));
        }
        return new string(chars);
    }

    // Well-formed UTF-16 (a protobuf string cannot carry a lone surrogate), astral planes included.
    private string Unicode(int length)
    {
        var text = new StringBuilder(length * 2);
        while (text.Length < length)
        {
            var codePoint = random.Next(4) == 0 ? random.Next(0x10000, 0x110000) : random.Next(0x20, 0x10000);
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }
            text.Append(char.ConvertFromUtf32(codePoint));
        }
        return text.ToString();
    }

    private Timestamp Time()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return random.Next(8) switch
        {
            0 => new Timestamp { Seconds = now + random.Next(3, 50) },
            1 => new Timestamp { Seconds = now - random.Next(0, 100_000_000), Nanos = random.Next(0, 1_000_000_000) },
            2 => new Timestamp { Seconds = long.MaxValue },
            3 => new Timestamp { Seconds = long.MinValue },
            4 => new Timestamp { Seconds = -random.Next(1, int.MaxValue) },
            5 => new Timestamp { Seconds = now, Nanos = random.Next(2) == 0 ? -1 : int.MaxValue },
            6 => new Timestamp { Seconds = 253_402_300_800 + random.Next(0, 1_000) },
            _ => new Timestamp(),
        };
    }

    private Duration Span() => random.Next(7) switch
    {
        0 => new Duration { Seconds = random.Next(0, 86_400) },
        1 => new Duration { Seconds = -random.Next(1, 1_000) },
        2 => new Duration { Seconds = 60, Nanos = random.Next(1, 1_000_000_000) },
        3 => new Duration { Seconds = long.MaxValue },
        4 => new Duration { Seconds = long.MinValue, Nanos = -1 },
        5 => new Duration { Seconds = 86_400 },
        _ => new Duration { Seconds = 1, Nanos = -random.Next(1, 1_000_000_000) },
    };

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Tag(int field, int wireType)
    {
        var bytes = new List<byte>();
        var value = (uint)((field << 3) | wireType);
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }

    private static byte[] Nested(int field, int depth)
    {
        byte[] inner = [];
        for (var i = 0; i < depth; i++)
        {
            var length = new List<byte>();
            var value = (uint)inner.Length;
            while (value >= 0x80)
            {
                length.Add((byte)(value | 0x80));
                value >>= 7;
            }
            length.Add((byte)value);
            inner = [.. Tag(field, 2), .. length, .. inner];
        }
        return inner;
    }
}
