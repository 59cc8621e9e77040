using Grpc.Net.ClientFactory;
using KrakenGrpc.Client;
using KrakenGrpc.Contracts.Spot.V1;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gateway's service clients with Grpc.Net.ClientFactory.</summary>
public static class KrakenGrpcClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MarketDataService.MarketDataServiceClient"/>, <see cref="AccountService.AccountServiceClient"/>,
    /// <see cref="OrdersService.OrdersServiceClient"/>, <see cref="FundingService.FundingServiceClient"/> and
    /// <see cref="OAuthService.OAuthServiceClient"/>, all calling <see cref="KrakenGrpcClientOptions.Address"/> with
    /// the gateway token and account of <paramref name="configure"/> in every call's metadata.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the gateway's address and the metadata every call carries.</param>
    /// <param name="configureClient">
    /// Runs on each client's builder, for what applies to all five: channel options (<c>ConfigureChannel</c>), an
    /// HTTP handler, another interceptor.
    /// </param>
    public static IServiceCollection AddKrakenGrpcClient(
        this IServiceCollection services, Action<KrakenGrpcClientOptions> configure, Action<IHttpClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<KrakenGrpcClientOptions>()
            .Configure(configure)
            .Validate(o => o.Address is { IsAbsoluteUri: true }, "KrakenGrpcClientOptions.Address must be the gateway's absolute address, e.g. http://127.0.0.1:5000.")
            .Validate(o => IsHeaderValue(o.GatewayToken), "KrakenGrpcClientOptions.GatewayToken must be printable ASCII: it is sent as a header.")
            .Validate(o => IsHeaderValue(o.Account), "KrakenGrpcClientOptions.Account must be printable ASCII: it is sent as a header.");
        services.AddSingleton<KrakenMetadataInterceptor>();

        IHttpClientBuilder[] clients =
        [
            Register<MarketDataService.MarketDataServiceClient>(services),
            Register<AccountService.AccountServiceClient>(services),
            Register<OrdersService.OrdersServiceClient>(services),
            Register<FundingService.FundingServiceClient>(services),
            Register<OAuthService.OAuthServiceClient>(services),
        ];
        foreach (var client in clients)
        {
            configureClient?.Invoke(client);
        }
        return services;
    }

    private static IHttpClientBuilder Register<TClient>(IServiceCollection services)
        where TClient : class =>
        services
            .AddGrpcClient<TClient>((provider, factory) => factory.Address = provider.GetRequiredService<IOptions<KrakenGrpcClientOptions>>().Value.Address)
            // One interceptor per channel: the metadata is the same for every call, so nothing is built per call.
            .AddInterceptor<KrakenMetadataInterceptor>(InterceptorScope.Channel);

    private static bool IsHeaderValue(string? value) =>
        !KrakenMetadataInterceptor.IsSet(value) || value!.All(c => c is >= ' ' and <= '~');
}
