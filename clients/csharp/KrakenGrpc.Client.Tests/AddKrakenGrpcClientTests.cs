using KrakenGrpc.Contracts.Spot.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Client.Tests;

public class AddKrakenGrpcClientTests
{
    private static ServiceProvider Build(Action<KrakenGrpcClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddKrakenGrpcClient(configure);
        return services.BuildServiceProvider();
    }

    [Test]
    public void AddKrakenGrpcClient_RegistersAClientForEveryService()
    {
        using var services = Build(o => o.Address = new Uri("http://127.0.0.1:5000"));

        Assert.Multiple(() =>
        {
            Assert.That(services.GetService<MarketDataService.MarketDataServiceClient>(), Is.Not.Null);
            Assert.That(services.GetService<AccountService.AccountServiceClient>(), Is.Not.Null);
            Assert.That(services.GetService<OrdersService.OrdersServiceClient>(), Is.Not.Null);
            Assert.That(services.GetService<FundingService.FundingServiceClient>(), Is.Not.Null);
            Assert.That(services.GetService<OAuthService.OAuthServiceClient>(), Is.Not.Null);
        });
    }

    [Test]
    public void AClient_WithoutAnAddress_FailsNamingTheOption()
    {
        using var services = Build(o => o.GatewayToken = "token");

        Assert.That(() => services.GetRequiredService<MarketDataService.MarketDataServiceClient>(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("KrakenGrpcClientOptions.Address"));
    }

    [Test]
    public void AClient_WithATokenThatCannotBeAHeader_FailsNamingTheOption()
    {
        using var services = Build(o =>
        {
            o.Address = new Uri("http://127.0.0.1:5000");
            o.GatewayToken = "line\nbreak";
        });

        Assert.That(() => services.GetRequiredService<OrdersService.OrdersServiceClient>(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("KrakenGrpcClientOptions.GatewayToken"));
    }
}
