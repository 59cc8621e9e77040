using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using KrakenGrpc.Kraken.Errors;

namespace KrakenGrpc.Server.Errors;

/// <summary>
/// Turns failures of the Kraken core into rich gRPC statuses (<c>google.rpc.Status</c> with <c>ErrorInfo</c> carrying
/// Kraken's original text and <c>RetryInfo</c> where waiting helps), so no service method handles errors itself.
/// </summary>
internal sealed partial class KrakenErrorInterceptor(ILogger<KrakenErrorInterceptor> logger) : Interceptor
{
    /// <summary>ErrorInfo metadata key holding Kraken's first error string verbatim.</summary>
    public const string KrakenErrorKey = "kraken_error";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, context) is { } status)
        {
            throw status;
        }
    }

    private RpcException? Translate(Exception exception, ServerCallContext context)
    {
        if (exception is not KrakenException kraken)
        {
            return null;
        }
        if (kraken.Endpoint.Length > 0)
        {
            LogKrakenFailure(logger, context.Method, kraken.Endpoint, kraken.ErrorClass.Reason, kraken.ErrorClass.Code);
        }
        else
        {
            LogGatewayRefusal(logger, context.Method, kraken.ErrorClass.Reason, kraken.ErrorClass.Code);
        }
        return ToRpcException(kraken);
    }

    /// <summary>The rich status for a Kraken core failure.</summary>
    public static RpcException ToRpcException(KrakenException exception)
    {
        var errorClass = exception.ErrorClass;
        var info = new ErrorInfo { Domain = KrakenErrorTable.Domain, Reason = errorClass.Reason };
        if (exception.Endpoint.Length > 0)
        {
            info.Metadata["endpoint"] = exception.Endpoint;
        }
        foreach (var (key, value) in exception.Details)
        {
            info.Metadata[key] = value;
        }
        if (exception.KrakenErrors.Count > 0)
        {
            info.Metadata[KrakenErrorKey] = exception.KrakenErrors[0];
            if (exception.KrakenErrors.Count > 1)
            {
                info.Metadata["kraken_errors"] = string.Join("\n", exception.KrakenErrors);
            }
        }

        var status = new Google.Rpc.Status { Code = (int)errorClass.Code, Message = exception.Message, Details = { Any.Pack(info) } };
        if (errorClass.Code == StatusCode.InvalidArgument && exception.Details.TryGetValue("field", out var field))
        {
            // The core names the parameter at fault (a request too large); callers read field problems from BadRequest.
            status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = exception.Message } } }));
        }
        if (errorClass.RetryAfter is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }
        return status.ToRpcException();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Method} failed at Kraken {Endpoint}: {Reason} ({Code})")]
    private static partial void LogKrakenFailure(ILogger logger, string method, string endpoint, string reason, StatusCode code);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "{Method} refused by the gateway, nothing sent to Kraken: {Reason} ({Code})")]
    private static partial void LogGatewayRefusal(ILogger logger, string method, string reason, StatusCode code);
}
