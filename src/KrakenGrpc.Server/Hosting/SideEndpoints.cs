using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KrakenGrpc.Server.Hosting;

/// <summary>
/// Adds a Kestrel endpoint of its own beside the gRPC addresses for what speaks HTTP/1.1 (the JSON/HTTP face on
/// <c>Http:Url</c>, the Prometheus scrape endpoint on <c>Metrics:Url</c>): a cleartext port speaks either HTTP/1.1 or
/// h2c, never both.
/// </summary>
internal static class SideEndpoints
{
    private const string DefaultGrpcUrl = "http://localhost:5000";

    /// <summary>
    /// Adds the HTTP/1.1 endpoint <paramref name="name"/> on <paramref name="url"/>. Once any endpoint is configured
    /// Kestrel ignores <c>--urls</c>, so the gRPC addresses become endpoints too (they take the HTTP/2 endpoint
    /// defaults), unless the Kestrel section already lists endpoints: the operator's own, or those another side
    /// endpoint (the JSON/HTTP face) made of the gRPC addresses already.
    /// </summary>
    public static void AddHttp1Endpoint(this WebApplicationBuilder builder, string name, string url)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Kestrel:Endpoints:{name}:Url"] = url,
            [$"Kestrel:Endpoints:{name}:Protocols"] = nameof(HttpProtocols.Http1),
            // Left set, these would make Kestrel log that it overrides them with the endpoints. ";" lists no address
            // (an empty value would fall back to the --urls read when the builder was created).
            [WebHostDefaults.ServerUrlsKey] = ";",
            [WebHostDefaults.HttpPortsKey] = string.Empty,
            [WebHostDefaults.HttpsPortsKey] = string.Empty,
        };
        if (!builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            // "Grpc…" sorts before the side endpoints' names, so the gRPC addresses are bound and listed first.
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
}
