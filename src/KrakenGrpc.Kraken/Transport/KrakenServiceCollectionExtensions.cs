using System.Net;
using System.Net.Http.Headers;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Lanes;
using KrakenGrpc.Kraken.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace KrakenGrpc.Kraken.Transport;

public static class KrakenServiceCollectionExtensions
{
    /// <summary>The User-Agent Kraken sees: it recommends one that names the client.</summary>
    public static readonly ProductInfoHeaderValue UserAgent =
        new("KrakenGrpc", typeof(KrakenClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>
    /// Registers the Kraken REST core: validated options, and the one HttpClient that carries every call through read
    /// retries with jitter, the signing and a per-attempt timeout.
    /// </summary>
    public static IServiceCollection AddKrakenRestCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KrakenOptions>().Bind(configuration.GetSection(KrakenOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KrakenOptions>, KrakenOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<KrakenAccounts>();
        services.AddOptions<CoordinationOptions>().Bind(configuration.GetSection(CoordinationOptions.Section))
            .Validate(o => o.LeaseTtl >= TimeSpan.FromSeconds(1), "Coordination:LeaseTtl must be at least one second: it is renewed every third of it while a request is in flight.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix), "Coordination:KeyPrefix must not be empty.")
            // Checked at start rather than at the first signed call; the message names the setting, never its value
            // (it may carry Redis's password).
            .Validate(o => !o.UsesRedis || RedisConnection.IsValidConnectionString(o.Redis!), "Coordination:Redis is not a valid StackExchange.Redis connection string.")
            .ValidateOnStart();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<ILaneCoordination>(provider => provider.GetRequiredService<IOptions<CoordinationOptions>>().Value.UsesRedis
            ? ActivatorUtilities.CreateInstance<RedisLaneCoordination>(provider)
            : new InProcessLaneCoordination(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AccountLanes>();
        services.AddSingleton<PublicBudget>();
        services.AddTransient<KrakenSigningHandler>();
        services.AddMetrics();
        services.AddSingleton<KrakenTelemetry>();
        services.AddTransient<KrakenAttemptCounter>();
        services.AddTransient<KrakenAttemptTimeout>();

        // One KrakenClient and one HttpClient for the process: a typed client resolved per call cost every call a new
        // HttpClient with its default headers and a new KrakenClient. Rotating the handler would buy nothing, since
        // the pool's PooledConnectionLifetime already re-resolves DNS.
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<KrakenClient>(
            provider, provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(KrakenClient))));
        var client = services.AddHttpClient(nameof(KrakenClient), http =>
            {
                // The caller's deadline and the per-attempt timeout bound each call; HttpClient's own timer would only
                // race them.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.Add(UserAgent);
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
                EnableMultipleHttp2Connections = true,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The factory's default request logging redacts header values in the message but keeps them in the
            // structured state, where a JSON or OpenTelemetry log sink would print API-Key and API-Sign. KrakenClient
            // logs what matters (endpoint, status, failure) itself.
            .RemoveAllLoggers();

        // Outermost: read retries. Then signing (budget, turn, nonce, signature) once per attempt, and the attempt
        // counter. Innermost: the per-attempt timeout, which covers the exchange with Kraken only, not the wait for
        // budget or turn.
        client.AddResilienceHandler("kraken-retries", static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<KrakenOptions>>().Value;
            if (options.MaxReadRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxReadRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    ShouldHandle = KrakenRetryPolicy.ShouldRetryAsync,
                });
            }
        });
        client.AddHttpMessageHandler<KrakenSigningHandler>();
        client.AddHttpMessageHandler<KrakenAttemptCounter>();
        client.AddHttpMessageHandler<KrakenAttemptTimeout>();
        return services;
    }
}
