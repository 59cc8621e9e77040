using System.Security.Cryptography;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Streaming;

/// <summary>The account's own streams (balances, open orders) end to end, signed for the calling account.</summary>
public class PrivateStreamingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _key = $"stream-key-{Guid.NewGuid():N}";
    private readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        // Pro tier: the streams' polls must not be slowed by a small REST budget during the test.
        options.Accounts.Add(new EmulatedAccountOptions(_key, _secret) { Tier = "Pro", Balances = new Dictionary<string, decimal> { ["ZUSD"] = 100_000m, ["XXBT"] = 1m } });
        _kraken = await KrakenEmulator.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress,
            $"--Kraken:ApiKey={_key}", $"--Kraken:ApiSecret={_secret}", "--Kraken:Tier=Pro",
            "--Streaming:PollInterval=00:00:00.2", "--Streaming:PrivatePollFloor=00:00:00.5");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [Test]
    public async Task StreamOpenOrders_SendsTheSetThenEveryChange_AndTwoSubscribersShareOnePoller()
    {
        await using var first = new StreamRecorder<StreamOpenOrdersResponse>(_gateway.Orders.StreamOpenOrders(new StreamOpenOrdersRequest()));
        await using var second = new StreamRecorder<StreamOpenOrdersResponse>(_gateway.Orders.StreamOpenOrders(new StreamOpenOrdersRequest()));
        var snapshot = await first.NextAsync(Patience);
        await second.NextAsync(Patience);

        var placed = await _gateway.Orders.SubmitOrderAsync(new SubmitOrderRequest
        {
            Pair = "XBTUSD", Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.01",
            Price = decimal.Round(_kraken.Market.LastPrice("XBTUSD") / 2, 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var txid = placed.Txids.Single();
        var withOrder = await first.NextMatchingAsync(m => m.OpenOrders.ContainsKey(txid), Patience);
        await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = txid });
        var withoutOrder = await first.NextMatchingAsync(m => !m.OpenOrders.ContainsKey(txid), Patience);
        await second.NextMatchingAsync(m => !m.OpenOrders.ContainsKey(txid), Patience);

        _kraken.Requests.Clear();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var polls = _kraken.Requests.Count("/0/private/OpenOrders");

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Snapshot, Is.True);
            Assert.That(snapshot.OpenOrders, Is.Empty);
            Assert.That(withOrder.Snapshot, Is.False);
            Assert.That(withOrder.OpenOrders[txid].Volume, Is.EqualTo("0.01000000"));
            Assert.That(withoutOrder.OpenOrders, Does.Not.ContainKey(txid));
            // Two subscribers, one poller, no faster than the private floor of 0.5 s: at most ~6 polls in 3 s.
            Assert.That(polls, Is.InRange(2, 7));
        });
    }

    [Test]
    public async Task StreamBalances_SendsTheBalancesThenAChange()
    {
        await using var balances = new StreamRecorder<StreamBalancesResponse>(_gateway.Account.StreamBalances(new StreamBalancesRequest()));
        var snapshot = await balances.NextAsync(Patience);

        _kraken.Accounts.Deposit(_key, "ZUSD", 12.5m);
        var changed = await balances.NextMatchingAsync(m => m.Balances["ZUSD"] != snapshot.Balances["ZUSD"], Patience);

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Snapshot, Is.True);
            Assert.That(decimal.Parse(snapshot.Balances["XXBT"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(1m));
            Assert.That(decimal.Parse(changed.Balances["ZUSD"], System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(decimal.Parse(snapshot.Balances["ZUSD"], System.Globalization.CultureInfo.InvariantCulture) + 12.5m));
        });
    }

    [Test]
    public async Task PrivateStream_ForAnUnknownAccount_EndsWithInvalidArgument()
    {
        var headers = new Metadata { { "kraken-account", "nobody" } };
        await using var stream = new StreamRecorder<StreamBalancesResponse>(_gateway.Account.StreamBalances(new StreamBalancesRequest(), headers));

        var ended = await stream.Ended.WaitAsync(Patience);

        Assert.That(ended?.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }
}
