using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using KrakenGrpc.Kraken.Errors;

namespace KrakenGrpc.Server.Validation;

/// <summary>
/// Collects what is wrong with a request before anything is sent to Kraken, then refuses it in one
/// <c>INVALID_ARGUMENT</c> status with a <c>BadRequest</c> listing every field at fault. Field names are the
/// contract's (Kraken's parameter names), so the caller can find them in the request it sent.
/// </summary>
internal sealed class RequestValidation
{
    /// <summary>ErrorInfo reason of a request the gateway refused itself.</summary>
    public const string Reason = "INVALID_REQUEST";

    private readonly BadRequest _problems = new();

    public RequestValidation Required(string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
        }
        return this;
    }

    public RequestValidation InRange(string field, int? value, int min, int max)
    {
        if (value is { } number && (number < min || number > max))
        {
            Add(field, $"must be between {min} and {max}, was {number}");
        }
        return this;
    }

    public RequestValidation OneOf(string field, int? value, IReadOnlyCollection<int> allowed)
    {
        if (value is { } number && !allowed.Contains(number))
        {
            Add(field, $"must be one of {string.Join(", ", allowed)}, was {number}");
        }
        return this;
    }

    public RequestValidation Length(string field, string value, int min, int max)
    {
        if (value.Length > 0 && (value.Length < min || value.Length > max))
        {
            Add(field, $"must be {min} to {max} characters long, was {value.Length}");
        }
        return this;
    }

    /// <summary>Refuses an enum number the contract does not define; with <paramref name="required"/>, also the zero value.</summary>
    public RequestValidation Defined<TEnum>(string field, TEnum value, bool required = false)
        where TEnum : struct, System.Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (!System.Enum.IsDefined(value))
        {
            Add(field, $"has an unknown value {number}");
        }
        else if (required && number == 0)
        {
            Add(field, "is required");
        }
        return this;
    }

    /// <summary>
    /// Decimal text Kraken will read as an amount: digits with at most one point, no sign, no exponent, and (when
    /// <paramref name="positive"/>) not zero. Empty text passes unless <paramref name="required"/>.
    /// </summary>
    public RequestValidation Decimal(string field, string value, bool required = false, bool positive = true)
    {
        if (value.Length == 0)
        {
            return required ? Required(field, value) : this;
        }
        if (!IsDecimalText(value))
        {
            Add(field, $"must be decimal text such as \"1.25\", was \"{Shorten(value)}\"");
        }
        else if (positive && value.All(c => c is '0' or '.'))
        {
            Add(field, "must be greater than zero");
        }
        return this;
    }

    /// <summary>Refuses a list longer than Kraken accepts.</summary>
    public RequestValidation MaxCount<T>(string field, IReadOnlyCollection<T> values, int max)
    {
        if (values.Count > max)
        {
            Add(field, $"may hold at most {max} entries, held {values.Count}");
        }
        return this;
    }

    /// <summary>Refuses list entries Kraken could not read back: empty ones, or ones holding its separator (a comma).</summary>
    public RequestValidation ListEntries(string field, IEnumerable<string> values) =>
        Check(values.All(value => !string.IsNullOrWhiteSpace(value) && !value.Contains(',', StringComparison.Ordinal)),
            field, "entries must not be empty or contain a comma");

    /// <summary>Refuses two parameters that Kraken treats as alternatives when both are set.</summary>
    public RequestValidation NotBoth(string field, bool isSet, string otherField, bool otherIsSet)
    {
        if (isSet && otherIsSet)
        {
            Add(field, $"cannot be combined with {otherField}");
        }
        return this;
    }

    /// <summary>
    /// True for plain decimal text: "1", "0.5", "87654.32100" (not "1e5", "-1", ".5", "1.", " 1"), no longer than 64
    /// characters and within System.Decimal's range: the gateway forwards the text unparsed, but an amount no client
    /// library could hold (30 digits before the point) is a caller's mistake, not something to ask Kraken about.
    /// </summary>
    public static bool IsDecimalText(string value)
    {
        var point = value.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? value : value[..point];
        var fraction = point < 0 ? "0" : value[(point + 1)..];
        return value.Length <= 64 && whole.Length > 0 && fraction.Length > 0 && whole.All(char.IsAsciiDigit) && fraction.All(char.IsAsciiDigit)
            && decimal.TryParse(value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out _);
    }

    // A caller's bad value is echoed to help them, but never at length, and never cut inside a surrogate pair (half
    // a character is not valid text: it would become U+FFFD on the wire).
    private static string Shorten(string value) =>
        value.Length <= 32 ? value : value[..(char.IsHighSurrogate(value[31]) ? 31 : 32)] + "...";

    public RequestValidation Check(bool valid, string field, string description)
    {
        if (!valid)
        {
            Add(field, description);
        }
        return this;
    }

    /// <summary>Throws the INVALID_ARGUMENT status when any check failed; does nothing otherwise.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.FieldViolations.Count > 0)
        {
            throw ToException();
        }
    }

    /// <summary>The INVALID_ARGUMENT status for a single problem, for code paths that cannot go on.</summary>
    public static RpcException Refusal(string field, string description)
    {
        var validation = new RequestValidation();
        validation.Add(field, description);
        return validation.ToException();
    }

    private RpcException ToException()
    {
        var summary = string.Join("; ", _problems.FieldViolations.Select(v => $"{v.Field} {v.Description}"));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"Invalid request, nothing was sent to Kraken: {summary}.",
            Details =
            {
                Any.Pack(new ErrorInfo { Domain = KrakenErrorTable.Domain, Reason = Reason }),
                Any.Pack(_problems),
            },
        };
        return status.ToRpcException();
    }

    private void Add(string field, string description) =>
        _problems.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
}
