using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using Duration = Google.Protobuf.WellKnownTypes.Duration;

namespace KrakenGrpc.Tests.Support;

/// <summary>
/// Every RPC of the contract, found through the generated descriptors (so an RPC added to a .proto is covered without
/// touching the tests), with what a test needs to call it by reflection: a request message built from the
/// descriptor, a plausible request, and a call through any <see cref="CallInvoker"/> that ends in one
/// <see cref="RpcOutcome"/> whether the RPC is unary or server-streaming.
/// </summary>
public static class EveryRpc
{
    /// <summary>The services the gateway serves, in the order of the contract.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
    [
        MarketDataService.Descriptor, AccountService.Descriptor, OrdersService.Descriptor, FundingService.Descriptor,
        OAuthService.Descriptor,
    ];

    /// <summary>Every RPC of every service.</summary>
    public static IReadOnlyList<MethodDescriptor> Methods { get; } = Services.SelectMany(s => s.Methods).ToList();

    /// <summary>OAuthService RPCs act for the user whose access token travels in metadata, not for a configured account.</summary>
    public static bool IsOAuth(MethodDescriptor method) => method.Service == OAuthService.Descriptor;

    /// <summary>The gRPC path, <c>/kraken.spot.v1.MarketDataService/GetTicker</c>.</summary>
    public static string Path(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>An empty request of the RPC's input type.</summary>
    public static IMessage NewRequest(MethodDescriptor method) => method.InputType.Parser.ParseFrom(ByteString.Empty);

    /// <summary>
    /// A request a careful caller could send: Kraken-shaped text in the fields whose names say what they hold, the
    /// first defined value of every enum, two entries in lists of messages (a batch holds at least two orders). The
    /// gateway accepts most of them; Kraken may still refuse some (an unknown txid), which is fine for a test that
    /// only needs every RPC to go through the gateway once.
    /// </summary>
    public static IMessage Plausible(MethodDescriptor method) => PlausibleMessage(method.InputType, depth: 0);

    /// <summary>The plausible text for a string field of this name, or null when an empty string is the sensible value.</summary>
    public static string? PlausibleText(string fieldName) => fieldName switch
    {
        "pair" or "symbol" => "XBTUSD",
        "asset" or "converted_asset" => "XBT",
        "volume" or "order_qty" or "amount" => "0.01",
        "txid" or "order_id" or "orders" or "refid" or "id" => "OQCLML-BW3P3-BUCMWZ",
        "key" => "btc-cold",
        "method" => "Bitcoin",
        "strategy_id" => "ESRFUO3-Q62XD-WIOIL7",
        "username" => "plausible",
        "email" => "plausible@example.invalid",
        "description" => "plausible report",
        "from" => "Spot Wallet",
        "to" => "Futures Wallet",
        "code" or "refresh_token" => "plausible-code",
        "redirect_uri" => "https://example.invalid/callback",
        "api_key_name" => "plausible-key",
        _ => null,
    };

    /// <summary>A unary or server-streaming call of <paramref name="method"/> whose request and response are messages.</summary>
    public static Method<IMessage, IMessage> GrpcMethod(MethodDescriptor method)
    {
        var input = method.InputType.Parser;
        var output = method.OutputType.Parser;
        return new Method<IMessage, IMessage>(
            method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary,
            method.Service.FullName,
            method.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), input.ParseFrom),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), output.ParseFrom));
    }

    /// <summary>The same call with the request body as raw bytes: for sending what no protobuf library would write.</summary>
    public static Method<byte[], byte[]> RawMethod(MethodDescriptor method) => new(
        method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary,
        method.Service.FullName,
        method.Name,
        Marshallers.Create<byte[]>(b => b, b => b),
        Marshallers.Create<byte[]>(b => b, b => b));

    /// <summary>Calls the RPC with a message; a stream is read up to its first message (then cancelled) or its end.</summary>
    public static Task<RpcOutcome> CallAsync(CallInvoker invoker, MethodDescriptor method, IMessage request, CallOptions options) =>
        CallAsync(invoker, GrpcMethod(method), request, options);

    /// <summary>Calls the RPC with raw request bytes; a stream is read up to its first message or its end.</summary>
    public static Task<RpcOutcome> CallRawAsync(CallInvoker invoker, MethodDescriptor method, byte[] request, CallOptions options) =>
        CallAsync(invoker, RawMethod(method), request, options);

    private static async Task<RpcOutcome> CallAsync<TRequest, TResponse>(
        CallInvoker invoker, Method<TRequest, TResponse> method, TRequest request, CallOptions options)
        where TRequest : class
        where TResponse : class
    {
        try
        {
            if (method.Type == MethodType.Unary)
            {
                using var unary = invoker.AsyncUnaryCall(method, null, options, request);
                await unary.ResponseAsync;
                return new RpcOutcome(Status.DefaultSuccess, Responded: true, unary.GetTrailers());
            }

            using var stream = invoker.AsyncServerStreamingCall(method, null, options, request);
            if (await stream.ResponseStream.MoveNext(CancellationToken.None))
            {
                // Disposing the call cancels it: one message is enough to know the request was accepted.
                return new RpcOutcome(Status.DefaultSuccess, Responded: true, new Metadata());
            }
            return new RpcOutcome(stream.GetStatus(), Responded: false, stream.GetTrailers());
        }
        catch (RpcException e)
        {
            return new RpcOutcome(e.Status, Responded: false, e.Trailers, e);
        }
    }

    private static IMessage PlausibleMessage(MessageDescriptor descriptor, int depth)
    {
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        if (descriptor.FullName == Duration.Descriptor.FullName)
        {
            // The only Duration in a request is CancelAllOrdersAfter's timeout: a minute is a sensible one.
            return new Duration { Seconds = 60 };
        }
        if (depth > 2 || descriptor.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal))
        {
            // Times must lie in narrow windows (an order's deadline); unset is what a careful caller sends.
            return message;
        }
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            // One member of a oneof; no map or optional extra (a conditional close, order flags) a plain call lacks.
            if (field.IsMap || (field.RealContainingOneof is { } oneof && oneof.Fields[0] != field) || field.Name is "close" or "oflags")
            {
                continue;
            }
            if (PlausibleValue(field, depth) is not { } value)
            {
                continue;
            }
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                list.Add(value);
                if (field.FieldType == FieldType.Message)
                {
                    list.Add(PlausibleValue(field, depth)!);
                }
            }
            else
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private static object? PlausibleValue(FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => PlausibleText(field.Name),
        FieldType.Enum => field.EnumType.Values.FirstOrDefault(v => v.Number != 0) is { } first
            ? System.Enum.ToObject(field.EnumType.ClrType, first.Number)
            : null,
        FieldType.Message => field.MessageType.FullName == "google.protobuf.Timestamp" ? null : PlausibleMessage(field.MessageType, depth + 1),
        _ => null,
    };
}

/// <summary>How a call ended: its status (OK once a response or a stream's first message arrived) and trailers.</summary>
public sealed record RpcOutcome(Status Status, bool Responded, Metadata Trailers, RpcException? Exception = null)
{
    public StatusCode Code => Status.StatusCode;
}
