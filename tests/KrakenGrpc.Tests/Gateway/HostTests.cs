using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Server.Hosting;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>The host itself: discoverability, health, placeholders and start-up checks.</summary>
public partial class HostTests
{
    private FixtureServer _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kraken = await FixtureServer.StartAsync();
        _gateway = await GatewayHost.StartAsync(_kraken.Address);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [Test]
    public async Task Reflection_ListsAnRpcForEverySeedMethod_AndTheExtraEndpoints()
    {
        var methods = await ListMethodsThroughReflectionAsync();

        var seedMethods = SeedMethods().Select(m => char.ToUpperInvariant(m[0]) + m[1..]).ToList();
        Assert.That(seedMethods, Has.Count.GreaterThan(60), "the seed table was not read");
        Assert.That(methods, Is.SupersetOf(seedMethods.Concat(["GetGroupedBook", "GetLevel3", "GetApiKeyInfo", "EditOrder"])));
    }

    [Test]
    public async Task Health_ReportsServing()
    {
        var health = new Health.HealthClient(_gateway.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.That(response.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }

    [Test]
    public void StartUp_WithASecretThatIsNotBase64_StopsNamingTheSettingButNotTheSecret()
    {
        const string secret = "not*base64*at*all";

        var failure = Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await GatewayApplication.CreateAsync(
                ["--urls", "http://127.0.0.1:0", "--Kraken:ApiKey=public-key", $"--Kraken:Accounts:desk:ApiKey=k2", $"--Kraken:Accounts:desk:ApiSecret={secret}"]);
            await app.StartAsync();
        })!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.Contain("Kraken:Accounts:desk:ApiSecret is not valid base64"));
            Assert.That(failure.Message, Does.Contain("Kraken: ApiKey and ApiSecret must be set together"));
            Assert.That(failure.Message, Does.Not.Contain(secret));
        });
    }

    [Test]
    public void StartUp_WithARedisConnectionStringItCannotRead_StopsNamingTheSettingButNotItsValue()
    {
        const string connection = "127.0.0.1:6390,password=hunter2-secret,colour=blue";

        var failure = Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await GatewayApplication.CreateAsync(["--urls", "http://127.0.0.1:0", $"--Coordination:Redis={connection}"]);
            await app.StartAsync();
        })!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.Contain("Coordination:Redis is not a valid StackExchange.Redis connection string"));
            Assert.That(failure.Message, Does.Not.Contain("hunter2"));
        });
    }

    private async Task<List<string>> ListMethodsThroughReflectionAsync()
    {
        var reflection = new ServerReflection.ServerReflectionClient(_gateway.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.ResponseStream.MoveNext();
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Where(n => n.StartsWith("kraken.", StringComparison.Ordinal)).ToList();

        List<string> methods = [];
        foreach (var service in services)
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = service });
            await call.ResponseStream.MoveNext();
            foreach (var bytes in call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto)
            {
                var file = FileDescriptorProto.Parser.ParseFrom(bytes);
                methods.AddRange(file.Service.Where(s => $"{file.Package}.{s.Name}" == service).SelectMany(s => s.Method).Select(m => m.Name));
            }
        }
        await call.RequestStream.CompleteAsync();
        return methods;
    }

    // The seed SDK's methods, read from the table in ../shared/kraken/seed-spotclient.md (the reference surface).
    private static IEnumerable<string> SeedMethods()
    {
        var table = File.ReadAllText(Repository.SharedKraken("seed-spotclient.md"));
        return SeedRow().Matches(table).Select(m => m.Groups["method"].Value).Where(m => m != "generateNewOrderID");
    }

    [GeneratedRegex(@"^\| [a-z]+ \| (?<method>[a-zA-Z]+) \|", RegexOptions.Multiline)]
    private static partial Regex SeedRow();
}
