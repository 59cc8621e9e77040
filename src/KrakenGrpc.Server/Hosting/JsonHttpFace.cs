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

    private const string DefaultGrpcUrl = "http://localhost:5000";

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

        // A cleartext port speaks either HTTP/1.1 or h2c, never both, so HTTP/1.1 gets a Kestrel endpoint of its own.
        // Once any endpoint is configured Kestrel ignores --urls, so the gRPC addresses become endpoints too (they
        // take the HTTP/2 endpoint defaults), unless the Kestrel section already lists its own endpoints.
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:JsonHttp:Url"] = url,
            ["Kestrel:Endpoints:JsonHttp:Protocols"] = nameof(Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1),
            // Left set, these would make Kestrel log that it overrides them with the endpoints. ";" lists no address
            // (an empty value would fall back to the --urls read when the builder was created).
            [WebHostDefaults.ServerUrlsKey] = ";",
            [WebHostDefaults.HttpPortsKey] = string.Empty,
            [WebHostDefaults.HttpsPortsKey] = string.Empty,
        };
        if (!builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            // "Grpc…" sorts before "JsonHttp", so the gRPC addresses are bound and listed first, as without Http:Url.
            foreach (var (grpcUrl, index) in GrpcUrls(builder.Configuration).Select((u, i) => (u, i)))
            {
                settings[$"Kestrel:Endpoints:Grpc{index}:Url"] = grpcUrl;
            }
        }
        builder.Configuration.AddInMemoryCollection(settings);
    }

    // The addresses ASP.NET Core would listen on: --urls / ASPNETCORE_URLS, else the HTTP(S)_PORTS, else its default.
    private static List<string> GrpcUrls(ConfigurationManager configuration)
    {
        static IEnumerable<string> Split(string? list) => (list ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]).ToList();
        if (urls.Count == 0)
        {
            urls.AddRange(Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://*:{port}"));
            urls.AddRange(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => $"https://*:{port}"));
        }
        return urls.Count == 0 ? [DefaultGrpcUrl] : urls;
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
