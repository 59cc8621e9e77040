using Grpc.Net.Client;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KrakenGrpc.Tests.Support;

/// <summary>
/// The real gateway, built by the same code as Program, on Kestrel over loopback, and a gRPC channel to it. Tests
/// go through the wire format, as any client would.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public MarketDataService.MarketDataServiceClient MarketData => new(Channel);

    public AccountService.AccountServiceClient Account => new(Channel);

    public OrdersService.OrdersServiceClient Orders => new(Channel);

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the gateway against <paramref name="kraken"/>; extra arguments are configuration (<c>--Key=value</c>).</summary>
    public static Task<GatewayHost> StartAsync(Uri kraken, params string[] arguments) => StartAsync(kraken, configure: null, arguments);

    /// <summary>Starts the gateway, letting the test add to its builder (a log collector, say).</summary>
    public static async Task<GatewayHost> StartAsync(Uri kraken, Action<WebApplicationBuilder>? configure, params string[] arguments)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Kraken:BaseUrl={kraken}",
            "--Logging:LogLevel:Default=Warning",
            "--Kraken:MaxReadRetries=2",
            // Tests of other behaviour call public endpoints in bursts; the budget has tests of its own.
            "--Kraken:PublicBudget:Enabled=false",
            // Off: many gateways run at once here; a test that scrapes gives its own address.
            "--Metrics:Url=",
            .. arguments,
        ];
        var app = await GatewayApplication.CreateAsync(args, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GatewayHost(app, new Uri(address));
    }

    /// <summary>Stops the server as a shutdown signal would, keeping this client's channel open to watch calls end.</summary>
    public Task StopServerAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
