using KrakenGrpc.Emulator;
using KrakenGrpc.Kraken.Transport;
using KrakenGrpc.Server.Auth;
using KrakenGrpc.Server.Errors;
using KrakenGrpc.Server.Services;
using KrakenGrpc.Server.Streaming;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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

        var limits = builder.Configuration.GetSection(GatewayLimits.Section).Get<GatewayLimits>() ?? new GatewayLimits();
        limits.EnsureValid();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Plaintext addresses speak HTTP/2 without TLS (h2c): what grpcurl -plaintext, buf curl and meshes expect.
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
            kestrel.Limits.Http2.KeepAlivePingDelay = limits.KeepAlivePingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = limits.KeepAlivePingTimeout;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = limits.ShutdownTimeout);

        KrakenEmulator? sandbox = null;
        if (builder.Configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>()?.Enabled == true)
        {
            // The sandbox signs with well-known credentials: it must not be reachable from other machines.
            SandboxOptions.EnsureLoopbackOnly(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
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
        builder.Services.AddSingleton<PublicReadCoalescing>();
        builder.Services.AddOptions<PublicReadsOptions>().Bind(builder.Configuration.GetSection(PublicReadsOptions.Section));
        builder.Services.AddTransient<OrderReconciliation>();
        builder.Services.AddMarketDataHub(builder.Configuration);
        builder.Services.AddOptions<CallerAuthOptions>().Bind(builder.Configuration.GetSection(CallerAuthOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CallerAuthOptions>, CallerAuthOptionsValidator>();
        builder.Services.AddSingleton<CallerAuthInterceptor>();
        var grpcServer = builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = limits.MaxRequestBytes;
            grpc.MaxSendMessageSize = limits.MaxResponseBytes;
            // The error interceptor is outermost so that refusals of the auth interceptor become rich statuses too.
            grpc.Interceptors.Add<KrakenErrorInterceptor>();
            grpc.Interceptors.Add<CallerAuthInterceptor>();
        });
        // Replaces Grpc.AspNetCore's binder (same bindings) so that malformed request bytes are a caller's mistake.
        builder.Services.RemoveAll(typeof(IServiceMethodProvider<>));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(MalformedRequestRefusal<>));
        builder.AddJsonHttpFace(grpcServer);
        builder.AddObservability();
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck("kraken-gateway", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());

        configure?.Invoke(builder);
        var app = builder.Build();
        if (sandbox is not null)
        {
            app.Lifetime.ApplicationStopped.Register(() => sandbox.DisposeAsync().AsTask().GetAwaiter().GetResult());
            LogSandbox(app.Logger, sandbox.BaseAddress);
        }

        app.MapMetricsEndpoint();
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
