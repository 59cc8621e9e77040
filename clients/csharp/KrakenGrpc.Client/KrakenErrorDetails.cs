using Google.Rpc;
using Grpc.Core;

namespace KrakenGrpc.Client;

/// <summary>
/// Reads the rich status the gateway attaches to a failed call (<c>google.rpc.Status</c> in the
/// <c>grpc-status-details-bin</c> trailer): why it failed (<c>ErrorInfo</c>), how long to wait before trying again
/// (<c>RetryInfo</c>) and which request fields were wrong (<c>BadRequest</c>). Each answers "absent" when the status
/// carries no such detail (a failure of the channel itself carries none).
/// </summary>
public static class KrakenErrorDetails
{
    /// <summary><see cref="ErrorInfo.Domain"/> of every error the gateway reports.</summary>
    public const string Domain = "api.kraken.com";

    /// <summary><see cref="ErrorInfo.Reason"/> of a request the gateway refused itself, before sending it to Kraken.</summary>
    public const string InvalidRequestReason = "INVALID_REQUEST";

    /// <summary><see cref="ErrorInfo.Metadata"/> key holding Kraken's (first) error string verbatim, e.g. <c>EOrder:Insufficient funds</c>.</summary>
    public const string KrakenErrorKey = "kraken_error";

    /// <summary><see cref="ErrorInfo.Metadata"/> key holding every error string, one a line, when Kraken sent several.</summary>
    public const string KrakenErrorsKey = "kraken_errors";

    /// <summary><see cref="ErrorInfo.Metadata"/> key naming the Kraken endpoint that failed, e.g. <c>AddOrder</c>.</summary>
    public const string EndpointKey = "endpoint";

    /// <summary><see cref="ErrorInfo.Metadata"/> key holding the order's client id when an order's outcome is unknown.</summary>
    public const string ClOrdIdKey = "cl_ord_id";

    /// <summary>Why the call failed: a stable UPPER_SNAKE reason (<c>INSUFFICIENT_FUNDS</c>), the domain and details.</summary>
    public static ErrorInfo? GetErrorInfo(this RpcException exception) => RichStatus(exception)?.GetDetail<ErrorInfo>();

    /// <summary>How long to wait before trying again, when the gateway says waiting helps (rate limits, Kraken busy).</summary>
    public static TimeSpan? GetRetryDelay(this RpcException exception) => RichStatus(exception)?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan();

    /// <summary>Every request field the gateway refused and why, named as in the contract (<c>volume</c>, <c>orders[3].price</c>); empty when none.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> GetFieldViolations(this RpcException exception) =>
        RichStatus(exception)?.GetDetail<BadRequest>()?.FieldViolations ?? (IReadOnlyList<BadRequest.Types.FieldViolation>)[];

    private static Google.Rpc.Status? RichStatus(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetRpcStatus();
    }
}
