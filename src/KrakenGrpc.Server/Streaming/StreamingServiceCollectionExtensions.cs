using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Streaming;

public static class StreamingServiceCollectionExtensions
{
    /// <summary>Registers the market-data hub and its validated <c>Streaming</c> options.</summary>
    public static IServiceCollection AddMarketDataHub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamingOptions>().Bind(configuration.GetSection(StreamingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StreamingOptions>, StreamingOptionsValidator>();
        services.AddSingleton<MarketDataHub>();
        return services;
    }
}
