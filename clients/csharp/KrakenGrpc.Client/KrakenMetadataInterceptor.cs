using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Client;

/// <summary>
/// Adds the gateway token and the account to every call's metadata. An interceptor rather than
/// <c>AddCallCredentials</c>: call credentials are dropped on a channel without TLS unless the channel opts in with
/// <c>UnsafeUseInsecureChannelCallCredentials</c>, and the gateway serves h2c in development, so the token would
/// silently go missing exactly there. Metadata the caller set on a call is kept and wins over the options.
/// </summary>
internal sealed class KrakenMetadataInterceptor(IOptions<KrakenGrpcClientOptions> options) : Interceptor
{
    private const string AuthorizationHeader = "authorization";

    private readonly string? _authorization = IsSet(options.Value.GatewayToken) ? $"Bearer {options.Value.GatewayToken}" : null;
    private readonly string? _account = IsSet(options.Value.Account) ? options.Value.Account : null;

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithMetadata(context));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithMetadata(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithMetadata(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithMetadata(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithMetadata(context));

    internal static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);

    private ClientInterceptorContext<TRequest, TResponse> WithMetadata<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var callerHeaders = context.Options.Headers;
        var addAuthorization = _authorization is not null && callerHeaders?.Get(AuthorizationHeader) is null;
        var addAccount = _account is not null && callerHeaders?.Get(KrakenHeaders.Account) is null;
        if (!addAuthorization && !addAccount)
        {
            return context;
        }

        // A copy, never the caller's instance: a Metadata reused for several calls must not grow with each one.
        var headers = new Metadata();
        foreach (var entry in callerHeaders ?? [])
        {
            headers.Add(entry);
        }
        if (addAuthorization)
        {
            headers.Add(AuthorizationHeader, _authorization!);
        }
        if (addAccount)
        {
            headers.Add(KrakenHeaders.Account, _account!);
        }
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
