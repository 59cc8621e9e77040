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

    /// <summary>Refuses a value that is present but not one the contract defines (an enum number we do not know).</summary>
    public RequestValidation Defined<TEnum>(string field, TEnum value, bool allowUnspecified = true)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            Add(field, $"has an unknown value {Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)}");
        }
        else if (!allowUnspecified && Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Add(field, "is required");
        }
        return this;
    }

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
        if (_problems.FieldViolations.Count == 0)
        {
            return;
        }

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
        throw status.ToRpcException();
    }

    private void Add(string field, string description) =>
        _problems.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
}
