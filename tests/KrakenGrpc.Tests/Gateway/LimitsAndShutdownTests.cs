using System.Diagnostics;
using System.Net;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// What one caller can ask of the gateway (message size, streams per connection), what the emulator accepts, and a
/// shutdown that lets in-flight unary calls finish while streams end with UNAVAILABLE.
/// </summary>
public class LimitsAndShutdownTests
{
    private readonly TestAccount _account = new("limits");
    private KrakenEmulator _kraken = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = TimeSpan.FromMilliseconds(200) };
        options.Accounts.Add(_account.AtKraken(new Dictionary<string, decimal> { ["ZUSD"] = 1000m }));
        _kraken = await KrakenEmulator.StartAsync(options);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _kraken.DisposeAsync();

    [SetUp]
    public void Reset()
    {
        _kraken.Faults.Clear();
        _kraken.Requests.Clear();
    }

    private Task<GatewayHost> StartGatewayAsync(params string[] arguments) =>
        GatewayHost.StartAsync(_kraken.BaseAddress, [.. _account.AsDefault, "--Streaming:PollInterval=00:00:00.200", .. arguments]);

    [Test]
    public async Task RequestAboveTheMessageLimit_IsResourceExhausted_AndNothingIsSent()
    {
        await using var gateway = await StartGatewayAsync("--Limits:MaxRequestBytes=4096");
        var request = new GetOrdersRequest();
        request.Txid.AddRange(Enumerable.Range(0, 500).Select(i => $"OQCLML-BW3P3-BUC{i:D5}"));

        var failure = Assert.ThrowsAsync<RpcException>(async () => await gateway.Orders.GetOrdersAsync(request))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }

    [Test]
    public async Task StreamsPerConnection_AreCapped_SoAFurtherCallWaitsForAFreeStream()
    {
        await using var gateway = await StartGatewayAsync("--Limits:MaxStreamsPerConnection=2");
        // One connection only: Grpc.Net.Client would otherwise open a second connection when the first is full.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(gateway.Address, new() { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false } });
        var marketData = new MarketDataService.MarketDataServiceClient(channel);
        using var first = marketData.StreamTicker(new StreamTickerRequest { Pair = { "XBTUSD" } });
        using var second = marketData.StreamTicker(new StreamTickerRequest { Pair = { "ETHUSD" } });
        Assert.That(await first.ResponseStream.MoveNext() && await second.ResponseStream.MoveNext(), Is.True);

        var blocked = Assert.ThrowsAsync<RpcException>(async () =>
            await marketData.GetServerTimeAsync(new GetServerTimeRequest(), deadline: DateTime.UtcNow.AddSeconds(1)))!;
        second.Dispose();
        var afterwards = await marketData.GetServerTimeAsync(new GetServerTimeRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(blocked.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded), "a third stream was opened on the connection");
            Assert.That(afterwards.ServerTime, Is.Not.Null);
        });
    }

    [Test]
    public async Task Shutdown_LetsAnInFlightUnaryCallFinish_AndEndsStreamsWithUnavailable()
    {
        await using var gateway = await StartGatewayAsync();
        using var stream = gateway.MarketData.StreamTicker(new StreamTickerRequest { Pair = { "XBTUSD" } });
        Assert.That(await stream.ResponseStream.MoveNext(), Is.True);
        _kraken.Faults.Inject("/0/private/Balance", Fault.Delay(TimeSpan.FromSeconds(1.5)));
        var inFlight = gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest()).ResponseAsync;
        await Eventually.TrueAsync(() => _kraken.Requests.Count("/0/private/Balance") == 1, "the slow call reached Kraken");
        var watch = Stopwatch.StartNew();

        var stopping = gateway.StopServerAsync();
        var streamEnd = Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stream.ResponseStream.MoveNext())
            {
            }
        })!;
        var balances = await inFlight;
        await stopping;

        Assert.Multiple(() =>
        {
            Assert.That(balances.Balances, Does.ContainKey("ZUSD"), "the in-flight call was cut off");
            Assert.That(streamEnd.StatusCode, Is.EqualTo(StatusCode.Unavailable));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
        });
    }

    [Test]
    public void StartUp_WithALimitThatCannotWork_StopsNamingTheSetting()
    {
        var failure = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await KrakenGrpc.Server.Hosting.GatewayApplication.CreateAsync(["--urls", "http://127.0.0.1:0", "--Limits:MaxStreamsPerConnection=0", "--Limits:MaxRequestBytes=-1"]))!;

        Assert.That(failure.Message, Does.Contain("Limits:MaxStreamsPerConnection must be positive").And.Contain("Limits:MaxRequestBytes must be positive"));
    }

    [Test]
    public async Task Emulator_RefusesABodyAboveItsLimit_BeforeRecordingOrDoingAnything()
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(new byte[200 * 1024]);

        using var response = await http.PostAsync(new Uri(_kraken.BaseAddress, "/0/private/AddOrder"), content);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }
}
