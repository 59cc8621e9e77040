using Google.Rpc;
using Grpc.Core;

namespace KrakenGrpc.Tests.Support;

/// <summary>Reads the details of a rich gRPC status the way a client would.</summary>
public static class RichStatus
{
    public static ErrorInfo ErrorInfo(this RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<ErrorInfo>() ?? throw new AssertionException($"No ErrorInfo in {exception.Status}");

    public static BadRequest? BadRequest(this RpcException exception) => exception.GetRpcStatus()?.GetDetail<BadRequest>();

    public static RetryInfo? RetryInfo(this RpcException exception) => exception.GetRpcStatus()?.GetDetail<RetryInfo>();
}
