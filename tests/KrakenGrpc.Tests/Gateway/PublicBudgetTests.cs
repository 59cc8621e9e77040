using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// The request budget of each public endpoint, shared by every caller: a burst goes at once, the next call waits for
/// the budget inside its deadline or is refused with RESOURCE_EXHAUSTED and RetryInfo, unsent; other endpoints have
/// their own budget.
/// </summary>
public class PublicBudgetTests
{
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        // Later arguments win: the budget is on here, small enough to reach in a test.
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress,
            "--Kraken:PublicBudget:Enabled=true", "--Kraken:PublicBudget:Burst=3", "--Kraken:PublicBudget:PerSecond=1");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    private Task<GetOrderBookResponse> BookAsync(int count, DateTime? deadline = null) =>
        _gateway.MarketData.GetOrderBookAsync(new GetOrderBookRequest { Pair = "XBTUSD", Count = count }, deadline: deadline).ResponseAsync;

    [Test]
    public async Task BeyondTheBurst_ACallWaitsInsideItsDeadline_OrIsRefusedUnsentWithRetryInfo()
    {
        // Distinct counts: no two calls can share an upstream request.
        await Task.WhenAll(BookAsync(1), BookAsync(2), BookAsync(3));
        var sentAfterBurst = _kraken.Requests.Count("/0/public/Depth");

        var refused = Assert.ThrowsAsync<RpcException>(async () => await BookAsync(4, DateTime.UtcNow.AddMilliseconds(300)))!;
        var sentAfterRefusal = _kraken.Requests.Count("/0/public/Depth");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var waited = await BookAsync(5, DateTime.UtcNow.AddSeconds(10));
        var otherEndpoint = await _gateway.MarketData.GetServerTimeAsync(new GetServerTimeRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300));

        Assert.Multiple(() =>
        {
            Assert.That(sentAfterBurst, Is.EqualTo(3));
            Assert.That(refused.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
            Assert.That(refused.ErrorInfo().Reason, Is.EqualTo("PUBLIC_RATE_BUDGET_EXHAUSTED"));
            Assert.That(refused.RetryInfo()!.RetryDelay.ToTimeSpan(), Is.GreaterThan(TimeSpan.FromMilliseconds(300)).And.LessThan(TimeSpan.FromSeconds(2)));
            Assert.That(sentAfterRefusal, Is.EqualTo(3), "a refused call was sent");
            Assert.That(waited.Books.Values.Single().Asks, Has.Count.EqualTo(5));
            Assert.That(watch.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(300)), "the call did not wait for the budget");
            Assert.That(otherEndpoint.ServerTime, Is.Not.Null, "another endpoint has a budget of its own");
        });
    }
}
