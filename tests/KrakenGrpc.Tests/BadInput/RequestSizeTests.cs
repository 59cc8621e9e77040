using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.BadInput;

/// <summary>
/// A request too large for Kraken (a URL query past what HTTP servers take, a body past 64 KiB) used to reach the
/// upstream and come back as HTTP 413/414, which the gateway could only report as INTERNAL (found by the fuzz test).
/// The core now refuses it before sending, naming the largest parameter.
/// </summary>
public class RequestSizeTests
{
    private readonly TestAccount _account = new("size");
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.Accounts.Add(_account.AtKraken());
        _kraken = await KrakenEmulator.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, _account.AsDefault);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _kraken.Requests.Clear();

    private void AssertRefusedUnsent(RpcException refusal, string field)
    {
        Assert.Multiple(() =>
        {
            Assert.That(refusal.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(refusal.ErrorInfo().Reason, Is.EqualTo("REQUEST_TOO_LARGE"));
            Assert.That(refusal.BadRequest()!.FieldViolations.Single().Field, Is.EqualTo(field));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero, "a request too large was sent");
        });
    }

    [Test]
    public void GetTicker_WithThousandsOfPairs_IsRefusedBeforeKraken_NamingPair()
    {
        var request = new GetTickerRequest { Pair = { Enumerable.Range(0, 2_000).Select(i => $"PAIR{i}") } };

        var refusal = Assert.ThrowsAsync<RpcException>(async () => await _gateway.MarketData.GetTickerAsync(request))!;

        AssertRefusedUnsent(refusal, "pair");
    }

    [Test]
    public void GetCandles_WithAPairThatOnlyPercentEncodingMakesTooLong_IsRefusedBeforeKraken()
    {
        // 1 000 characters, but 6 000 and more once each 4-byte character is percent-encoded.
        var request = new GetCandlesRequest { Pair = string.Concat(Enumerable.Repeat("😀", 500)) };

        var refusal = Assert.ThrowsAsync<RpcException>(async () => await _gateway.MarketData.GetCandlesAsync(request))!;

        AssertRefusedUnsent(refusal, "pair");
    }

    [Test]
    public async Task PrivateCall_WithABodyPast64KiB_IsRefusedBeforeSigning_WhileOneJustUnderIsSent()
    {
        var refusal = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Orders.GetClosedOrdersAsync(new GetClosedOrdersRequest { Otp = new string('7', 70_000) }))!;
        AssertRefusedUnsent(refusal, "otp");

        try
        {
            await _gateway.Orders.GetClosedOrdersAsync(new GetClosedOrdersRequest { Otp = new string('7', 60_000) });
        }
        catch (RpcException)
        {
            // Kraken may refuse such a one-time password itself; what matters here is that it was sent.
        }
        Assert.That(_kraken.Requests.Count("/0/private/ClosedOrders"), Is.GreaterThanOrEqualTo(1));
    }
}
