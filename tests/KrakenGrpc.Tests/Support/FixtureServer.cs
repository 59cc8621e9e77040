using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KrakenGrpc.Tests.Support;

/// <summary>
/// A stand-in for "any HTTP server that answers like Kraken": it replays Kraken's documented example bytes for
/// <c>/0/public/&lt;Name&gt;</c> and remembers each query string it was sent.
/// </summary>
public sealed class FixtureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FixtureServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FixtureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FixtureServer? server = null;
        app.MapGet("/0/public/{name}", async (string name, HttpContext context) =>
        {
            server!.Requests.Enqueue($"{name}{context.Request.QueryString}");
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Fixtures.Bytes(name));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new FixtureServer(app, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
