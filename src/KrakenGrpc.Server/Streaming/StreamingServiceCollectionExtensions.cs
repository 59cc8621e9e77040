using KrakenGrpc.Kraken.Coordination;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Streaming;

public static class StreamingServiceCollectionExtensions
{
    /// <summary>Registers the market-data hub, its validated <c>Streaming</c> options and how its pollers are shared.</summary>
    public static IServiceCollection AddMarketDataHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamingOptions>().Bind(configuration.GetSection(StreamingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StreamingOptions>, StreamingOptionsValidator>();
        services.AddSingleton<IPollCoordination>(provider => provider.GetRequiredService<IOptions<CoordinationOptions>>().Value.UsesRedis
            ? ActivatorUtilities.CreateInstance<RedisPollCoordination>(provider)
            : new PollAlone());
        services.AddSingleton<MarketDataHub>();
        return services;
    }
}
