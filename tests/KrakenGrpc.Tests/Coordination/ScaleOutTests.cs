using System.Globalization;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Coordination;

/// <summary>
/// Three gateway replicas signing for one API key, sharing its state through one redis-server, against the emulator,
/// which refuses an out-of-order nonce and enforces Kraken's counters exactly as Kraken would.
/// </summary>
[NonParallelizable]
public class ScaleOutTests
{
    private readonly TestAccount _account = new("scale-out");
    private RedisServer _redis = null!;
    private KrakenEmulator _kraken = null!;
    private List<GatewayHost> _replicas = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _redis = await RedisServer.StartAsync();
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.Accounts.Add(_account.AtKraken(new Dictionary<string, decimal> { ["ZUSD"] = 10_000_000m, ["ZEUR"] = 10_000_000m }));
        _kraken = await KrakenEmulator.StartAsync(options);
        _replicas = [];
        for (var i = 0; i < 3; i++)
        {
            _replicas.Add(await GatewayHost.StartAsync(_kraken.BaseAddress, [.. _account.AsDefault, $"--Coordination:Redis={_redis.ConnectionString}"]));
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        await _kraken.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private SubmitOrderRequest RestingBuy(string pair, string volume) => new()
    {
        Pair = pair,
        Type = OrderSide.Buy,
        Ordertype = OrderType.Limit,
        Volume = volume,
        Price = decimal.Round(_kraken.Market.LastPrice(pair) / 2, 0).ToString(CultureInfo.InvariantCulture),
    };

    [Test]
    public async Task NinetyConcurrentPrivateCallsOverThreeReplicas_ReachKrakenInNonceOrder_WithinOneSharedBudget()
    {
        var before = _kraken.Statistics.For(_account.ApiKey);
        var pairs = new[] { ("XBTUSD", "0.01"), ("ETHUSD", "0.1"), ("SOLEUR", "1") };
        // 24 balance reads on Pro's REST counter (20, -1/s): each replica alone would think its 8 fit at once, and
        // Kraken would refuse 4. The 66 orders go to the pairs' trading counters.
        var calls = Enumerable.Range(0, 90).Select(i =>
        {
            var replica = _replicas[i % 3];
            return i < 24
                ? (Task)replica.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest()).ResponseAsync
                : replica.Orders.SubmitOrderAsync(RestingBuy(pairs[i % 3].Item1, pairs[i % 3].Item2)).ResponseAsync;
        });

        await Task.WhenAll(calls);

        var after = _kraken.Statistics.For(_account.ApiKey);
        var nonces = _kraken.Requests.Recent()
            .Where(r => r.Path.StartsWith("/0/private/", StringComparison.Ordinal) && r.Headers.TryGetValue("API-Key", out var key) && key == _account.ApiKey)
            .Select(r => long.Parse(System.Web.HttpUtility.ParseQueryString(r.BodyText)["nonce"]!, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(after.AuthenticatedCalls - before.AuthenticatedCalls, Is.EqualTo(90));
            Assert.That(after.InvalidNonces - before.InvalidNonces, Is.Zero, "invalid nonces");
            Assert.That(after.RestRateLimitRefusals + after.TradingRateLimitRefusals - before.RestRateLimitRefusals - before.TradingRateLimitRefusals, Is.Zero, "rate-limit refusals");
            Assert.That(nonces, Is.Ordered.Ascending.And.Unique, "nonces reached Kraken out of order");
        });
    }

    [Test]
    public async Task WithRedisDown_PrivateCallsFailClosedUnsent_PublicCallsGoOn_AndPrivateCallsRecoverWhenItReturns()
    {
        var replica = _replicas[1];
        var before = _kraken.Statistics.For(_account.ApiKey);

        await _redis.StopAsync();
        try
        {
            var refused = Assert.ThrowsAsync<RpcException>(async () => await replica.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest()));
            var ticker = await replica.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { "XBTUSD" } });

            Assert.Multiple(() =>
            {
                Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
                Assert.That(refused.ErrorInfo().Reason, Is.EqualTo("COORDINATION_UNAVAILABLE"));
                Assert.That(refused.Status.Detail, Does.Contain("Redis").And.Contain("not sent"));
                Assert.That(_kraken.Statistics.For(_account.ApiKey).AuthenticatedCalls, Is.EqualTo(before.AuthenticatedCalls), "a private call reached Kraken without its turn");
                Assert.That(ticker.Tickers, Does.ContainKey("XXBTZUSD"));
            });
        }
        finally
        {
            await _redis.RestartAsync();
        }

        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await replica.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest());
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, "private calls work again once Redis is back");
        // Redis lost its data in the restart (no persistence): the nonce went on above Kraken's last one anyway,
        // because nonces come from the clock and the shared mark only ever raises them.
        Assert.That(_kraken.Statistics.For(_account.ApiKey).InvalidNonces, Is.EqualTo(before.InvalidNonces));
    }
}
