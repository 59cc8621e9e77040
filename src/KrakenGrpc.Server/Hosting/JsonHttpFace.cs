using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace KrakenGrpc.Server.Hosting;

/// <summary>
/// The JSON/HTTP face for callers that cannot speak gRPC: every RPC the contract annotates with
/// <c>google.api.http</c> is also served as JSON over HTTP (Microsoft.AspNetCore.Grpc.JsonTranscoding), through the
/// same interceptors and service code as a gRPC call, with errors as a JSON <c>google.rpc.Status</c>. It answers on
/// the gRPC addresses (h2c) and, when <c>Http:Url</c> is set, over HTTP/1.1 on that address of its own.
/// </summary>
internal static class JsonHttpFace
{
    /// <summary>The configuration key of the HTTP/1.1 address, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public const string UrlKey = "Http:Url";

    /// <summary>
    /// Adds transcoding to <paramref name="grpc"/>. Call it after the service method providers are replaced: the
    /// replacement removes every <c>IServiceMethodProvider&lt;&gt;</c>, transcoding's included.
    /// </summary>
    public static void AddJsonHttpFace(this WebApplicationBuilder builder, IGrpcServerBuilder grpc)
    {
        grpc.AddJsonTranscoding(transcoding =>
        {
            // int64 values (Level3 timestamps in nanoseconds) exceed 2^53: as strings, as proto3's JSON mapping has
            // them, a JavaScript caller reads them without rounding.
            transcoding.JsonSettings.WriteInt64sAsStrings = true;
            // An error's details (ErrorInfo, BadRequest, RetryInfo) are Any values: JSON names their types, so the
            // writer must know them, or the error itself fails to be written.
            transcoding.TypeRegistry = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);
        });
        // Innermost: after the interceptors AddGrpc registered, so it sees the trailers the service set.
        grpc.Services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<TrailersAsHeaders>());

        var url = builder.Configuration[UrlKey];
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }
        if (builder.Configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>()?.Enabled == true)
        {
            SandboxOptions.EnsureLoopbackOnly(url);
        }

        builder.AddHttp1Endpoint("JsonHttp", url);
    }

    /// <summary>
    /// Transcoding answers with a JSON body and drops gRPC trailers, so on a JSON call the trailers of a successful
    /// unary call (<c>kraken-warning</c>, <c>kraken-reconciled</c>) become response headers instead.
    /// </summary>
    private sealed class TrailersAsHeaders : Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
            TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            var http = context.GetHttpContext();
            if (http.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
            {
                foreach (var trailer in context.ResponseTrailers.Where(t => !t.IsBinary))
                {
                    http.Response.Headers.Append(trailer.Key, trailer.Value);
                }
            }
            return response;
        }
    }
}
