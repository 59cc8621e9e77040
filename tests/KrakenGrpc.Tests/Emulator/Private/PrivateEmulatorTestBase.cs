using System.Text.Json;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// A fresh emulator per test (so paper accounts start clean) with one funded Starter account, the price ticker
/// off (only <see cref="EmulatedMarket.Step()"/> moves prices) and a <see cref="FakeTimeProvider"/> as its clock,
/// so rate counters, the dead man's switch, deadlines and exports only see the time a test lets pass. Rate limits
/// are off unless a test class turns them on.
/// </summary>
public abstract class PrivateEmulatorTestBase
{
    protected const string Key = "emulator-test-key";

    /// <summary>64 bytes, base64, as Kraken secrets are.</summary>
    protected const string Secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

    protected KrakenEmulator Kraken { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected PrivateClient Client { get; private set; } = null!;

    protected FakeTimeProvider Clock { get; private set; } = null!;

    /// <summary>The test key's account, read directly from the emulator.</summary>
    protected PaperAccountSnapshot Account => Kraken.Accounts.Get(Key);

    [SetUp]
    public async Task StartEmulator()
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new KrakenEmulatorOptions
        {
            PriceTickInterval = Timeout.InfiniteTimeSpan,
            TimeProvider = Clock,
            EnforceRateLimits = false,
            ExportProcessingTime = TimeSpan.FromSeconds(5),
        };
        options.Accounts.Add(new EmulatedAccountOptions(Key, Secret)
        {
            Balances = new Dictionary<string, decimal>
            {
                ["ZUSD"] = 100_000m,
                ["XXBT"] = 2m,
                ["XETH"] = 20m,
                ["ZEUR"] = 50_000m,
                ["SOL"] = 500m,
            },
        });
        Configure(options);
        Kraken = await KrakenEmulator.StartAsync(options);
        Http = new HttpClient { BaseAddress = Kraken.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client = new PrivateClient(Http, Key, Secret);
    }

    [TearDown]
    public async Task StopEmulator()
    {
        Http?.Dispose();
        if (Kraken is not null)
        {
            await Kraken.DisposeAsync();
        }
    }

    /// <summary>Changes the options before the emulator starts (tier, accounts, rate limits...).</summary>
    protected virtual void Configure(KrakenEmulatorOptions options)
    {
    }

    /// <summary>
    /// The best bid and ask of a pair now with their exact volumes, from Level3 (Depth rounds volumes to three
    /// decimals; Level3's individual orders add up to the level's exact volume).
    /// </summary>
    protected async Task<(decimal Bid, decimal BidVolume, decimal Ask, decimal AskVolume)> TopOfBookAsync(string pair = "XBT/USD")
    {
        var book = await Client.JsonResultAsync("Level3", new System.Text.Json.Nodes.JsonObject { ["pair"] = pair, ["depth"] = 10 });
        (decimal Price, decimal Volume) Top(string side)
        {
            var orders = book.GetProperty(side).EnumerateArray().Select(o => (Price: Dec(o.GetProperty("price").GetString()!), Qty: Dec(o.GetProperty("qty").GetString()!))).ToArray();
            var best = orders[0].Price;
            return (best, orders.Where(o => o.Price == best).Sum(o => o.Qty));
        }

        var (bid, bidVolume) = Top("bids");
        var (ask, askVolume) = Top("asks");
        return (bid, bidVolume, ask, askVolume);
    }

    /// <summary>Places an order with AddOrder and returns its txid.</summary>
    protected async Task<string> AddOrderAsync(params (string Name, string Value)[] parameters)
    {
        var result = await Client.ResultAsync("AddOrder", parameters);
        return result.GetProperty("txid")[0].GetString()!;
    }

    /// <summary>Steps the market until <paramref name="done"/> holds, at most <paramref name="maxSteps"/> times.</summary>
    protected bool StepUntil(Func<bool> done, int maxSteps = 2000)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (done())
            {
                return true;
            }

            Kraken.Market.Step();
        }

        return done();
    }

    /// <summary>Asserts an answer has the shape of Kraken's documented example <paramref name="fixture"/>.</summary>
    protected static void AssertShape(string fixture, JsonElement actualEnvelope, IReadOnlyDictionary<string, string?>? maps = null)
    {
        using var expected = JsonDocument.Parse(Fixtures.Bytes(fixture));
        var differences = PrivateShape.Differences(expected.RootElement, actualEnvelope, maps ?? new Dictionary<string, string?>());
        Assert.That(differences, Is.Empty, () => $"{fixture}:\n{string.Join("\n", differences)}\n{actualEnvelope}");
    }

    /// <summary>Asserts an answer has the shape of an example given as a document (an adjusted fixture).</summary>
    protected static void AssertShape(JsonElement expectedEnvelope, JsonElement actualEnvelope, IReadOnlyDictionary<string, string?>? maps = null)
    {
        var differences = PrivateShape.Differences(expectedEnvelope, actualEnvelope, maps ?? new Dictionary<string, string?>());
        Assert.That(differences, Is.Empty, () => $"{string.Join("\n", differences)}\n{actualEnvelope}");
    }

    protected static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    protected static string Text(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
