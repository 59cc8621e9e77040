using KrakenGrpc.Emulator;
using KrakenGrpc.Kraken.Transport;
using KrakenGrpc.Server.Errors;
using KrakenGrpc.Server.Services;
using KrakenGrpc.Server.Streaming;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KrakenGrpc.Server.Hosting;

/// <summary>
/// Builds the gateway: the same code path for <c>Program</c>, the sandbox and the tests, so what the tests run is
/// what ships.
/// </summary>
public static partial class GatewayApplication
{
    /// <summary>
    /// Creates the gateway from command-line arguments. <c>--sandbox</c> starts the embedded Kraken emulator on a
    /// loopback port first and points <c>Kraken:BaseUrl</c> at it. <paramref name="configure"/> lets a host (a test)
    /// add to the builder, e.g. a log provider, before the application is built.
    /// </summary>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args.Select(a => a == "--sandbox" ? "--Sandbox:Enabled=true" : a).ToArray());

        // Plaintext addresses speak HTTP/2 without TLS (h2c): what grpcurl -plaintext, buf curl and meshes expect.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));

        KrakenEmulator? sandbox = null;
        if (builder.Configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>()?.Enabled == true)
        {
            sandbox = await KrakenEmulator.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            builder.Configuration[$"{KrakenOptions.Section}:BaseUrl"] = sandbox.BaseAddress.ToString();
            // The sandbox's paper account and OAuth client stand in for the gateway's own unless those are configured.
            if (string.IsNullOrWhiteSpace(builder.Configuration[$"{KrakenOptions.Section}:ApiKey"]))
            {
                builder.Configuration[$"{KrakenOptions.Section}:ApiKey"] = EmulatedAccountOptions.SandboxApiKey;
                builder.Configuration[$"{KrakenOptions.Section}:ApiSecret"] = EmulatedAccountOptions.SandboxApiSecret;
            }
            if (string.IsNullOrWhiteSpace(builder.Configuration[$"{KrakenOptions.Section}:OAuth:ClientId"]))
            {
                builder.Configuration[$"{KrakenOptions.Section}:OAuth:ClientId"] = EmulatedOAuthClient.SandboxClientId;
                builder.Configuration[$"{KrakenOptions.Section}:OAuth:ClientSecret"] = EmulatedOAuthClient.SandboxClientSecret;
            }
        }

        builder.Services.AddKrakenRestCore(builder.Configuration);
        builder.Services.AddTransient<KrakenCalls>();
        builder.Services.AddTransient<OrderReconciliation>();
        builder.Services.AddMarketDataHub(builder.Configuration);
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<KrakenErrorInterceptor>());
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck("kraken-gateway", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());

        configure?.Invoke(builder);
        var app = builder.Build();
        if (sandbox is not null)
        {
            app.Lifetime.ApplicationStopped.Register(() => sandbox.DisposeAsync().AsTask().GetAwaiter().GetResult());
            LogSandbox(app.Logger, sandbox.BaseAddress);
        }

        app.MapGrpcService<MarketDataService>();
        app.MapGrpcService<AccountService>();
        app.MapGrpcService<OrdersService>();
        app.MapGrpcService<FundingService>();
        app.MapGrpcService<OAuthService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Sandbox mode: Kraken calls go to the embedded emulator at {EmulatorAddress}, not to Kraken")]
    private static partial void LogSandbox(ILogger logger, Uri emulatorAddress);
}
