using System.Text.Json;
using System.Text.Json.Nodes;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Earn: strategies and allocations in the shapes of the documented examples; Allocate and Deallocate answer true at
/// once and complete after the operation time (2 s by default) on the emulator's clock, their status endpoints
/// answering pending until then; failures surface as the reference describes.
/// </summary>
[TestFixture]
public sealed class EarnTests : PrivateEmulatorTestBase
{
    private const string DotInstant = "ESRFUO3-Q62XD-WIOIL7";
    private const string EthBonded = "ESDQCOL-WTZEU-NU55QF";
    private const string EthFlex = "ESLOFUH-2ZVNV-QJQ3LZ";
    private const string SolBondedIntermediate = "ES6YGO2-SPL2J-TNUH3W";
    private const string UsdtCapped = "ESXMLKC-YKW3M-LVNBFC";
    private const string ParallelKey = "parallel-earn-key";

    [Test]
    public async Task Strategies_DotInstant_IsTheDocumentedExample()
    {
        // DOT has two strategies; in ascending id order the instant one comes first, and a page of one has a next.
        var json = await Client.PostAsync("Earn/Strategies", ("asset", "DOT"), ("ascending", "true"), ("limit", "1"));
        AssertShape("Earn_Strategies.json", json);
        var item = json.GetProperty("result").GetProperty("items")[0];
        var example = ListShape.ExampleResult("Earn_Strategies.json").GetProperty("items")[0];

        // Not just the shape: the emulator offers the example's strategy itself.
        Assert.That(item.GetRawText(), Is.EqualTo(JsonNode.Parse(example.GetRawText())!.ToJsonString()));
    }

    [Test]
    public async Task Strategies_HonourFiltersOrderAndPages()
    {
        var all = (await Client.ResultAsync("Earn/Strategies")).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray();
        var ascending = (await Client.ResultAsync("Earn/Strategies", ("ascending", "true"))).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray();
        var firstPage = await Client.ResultAsync("Earn/Strategies", ("limit", "3"));
        var secondPage = await Client.ResultAsync("Earn/Strategies", ("limit", "3"), ("cursor", firstPage.GetProperty("next_cursor").GetString()!));
        var bonded = (await Client.ResultAsync("Earn/Strategies", ("lock_type", "bonded"))).GetProperty("items");
        var flexOrInstant = (await Client.JsonResultAsync("Earn/Strategies", new JsonObject { ["lock_type"] = new JsonArray("flex", "instant") })).GetProperty("items");
        var eth = (await Client.ResultAsync("Earn/Strategies", ("asset", "ETH"))).GetProperty("items");

        Assert.Multiple(() =>
        {
            Assert.That(all, Has.Length.GreaterThanOrEqualTo(8));
            Assert.That(all, Is.Ordered.Descending.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(ascending, Is.EqualTo(all.Reverse()));
            Assert.That(firstPage.GetProperty("next_cursor").GetString(), Is.EqualTo("2"));
            Assert.That(firstPage.GetProperty("items").EnumerateArray().Concat(secondPage.GetProperty("items").EnumerateArray()).Select(s => s.GetProperty("id").GetString()), Is.EqualTo(all.Take(6)));
            Assert.That(bonded.EnumerateArray().Select(s => s.GetProperty("lock_type").GetProperty("type").GetString()), Is.All.EqualTo("bonded"));
            Assert.That(flexOrInstant.EnumerateArray().Select(s => s.GetProperty("lock_type").GetProperty("type").GetString()), Is.All.AnyOf("flex", "instant"));
            Assert.That(eth.EnumerateArray().Select(s => s.GetProperty("asset").GetString()), Is.All.EqualTo("ETH"));
            Assert.That(eth.GetArrayLength(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Strategies_BondedLockType_CarriesEveryDocumentedField_AndTierRestrictionsShow()
    {
        var items = (await Client.ResultAsync("Earn/Strategies", ("lock_type", "bonded"))).GetProperty("items").EnumerateArray().ToArray();
        var eth = items.Single(s => s.GetProperty("id").GetString() == EthBonded);
        var sol = items.Single(s => s.GetProperty("id").GetString() == SolBondedIntermediate);
        var flex = (await Client.ResultAsync("Earn/Strategies", ("asset", "XBT"))).GetProperty("items")[0];

        Assert.Multiple(() =>
        {
            Assert.That(eth.GetProperty("lock_type").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "type", "bonding_period", "bonding_period_variable", "bonding_rewards", "exit_queue_period", "payout_frequency",
                "unbonding_period", "unbonding_period_variable", "unbonding_rewards",
            }));
            Assert.That(eth.GetProperty("lock_type").GetProperty("bonding_period").GetInt64(), Is.EqualTo(14 * 86_400));

            // The test account is Starter: the Intermediate-only strategy is shown, but not open to it.
            Assert.That(sol.GetProperty("can_allocate").GetBoolean(), Is.False);
            Assert.That(sol.GetProperty("allocation_restriction_info").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "tier" }));
            Assert.That(flex.GetProperty("lock_type").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "type" }));
            Assert.That(flex.GetProperty("auto_compound").GetRawText(), Is.EqualTo("""{"type":"optional","default":false}"""));
            Assert.That(flex.GetProperty("yield_source").GetProperty("type").GetString(), Is.EqualTo("off_chain"));
        });
    }

    [Test]
    public async Task Allocate_CompletesAfterTheOperationTime_StatusGoesFromPendingToDone()
    {
        Kraken.Accounts.Deposit(Key, "DOT", 100m);
        var accepted = await Client.ResultAsync("Earn/Allocate", ("strategy_id", DotInstant), ("amount", "40"));
        var pending = await Client.ResultAsync("Earn/AllocateStatus", ("strategy_id", DotInstant));
        var balanceWhilePending = Account.Balance("DOT");
        var allocationsWhilePending = await Client.ResultAsync("Earn/Allocations");

        Clock.Advance(TimeSpan.FromSeconds(2));
        var done = await Client.ResultAsync("Earn/AllocateStatus", ("strategy_id", DotInstant));
        var allocations = await Client.ResultAsync("Earn/Allocations", ("converted_asset", "USD"));
        var snapshot = Account;

        Assert.Multiple(() =>
        {
            Assert.That(accepted.GetBoolean(), Is.True);
            Assert.That(pending.GetProperty("pending").GetBoolean(), Is.True);
            Assert.That(balanceWhilePending, Is.EqualTo(100m));
            Assert.That(allocationsWhilePending.GetProperty("items").GetArrayLength(), Is.Zero);

            Assert.That(done.GetProperty("pending").GetBoolean(), Is.False);
            Assert.That(snapshot.Balance("DOT"), Is.EqualTo(60m));
            var item = allocations.GetProperty("items").EnumerateArray().Single();
            Assert.That(item.GetProperty("strategy_id").GetString(), Is.EqualTo(DotInstant));
            Assert.That(item.GetProperty("native_asset").GetString(), Is.EqualTo("DOT"));
            Assert.That(item.GetProperty("amount_allocated").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "total" }));
            Assert.That(item.GetProperty("amount_allocated").GetProperty("total").GetProperty("native").GetString(), Is.EqualTo("40.0000000000"));
            Assert.That(Dec(allocations.GetProperty("total_allocated").GetString()!), Is.EqualTo(40m * Kraken.Market.LastPrice("DOTUSD")).Within(0.0001m));
            Assert.That(snapshot.EarnAllocation(DotInstant), Is.EqualTo(new EarnAllocationSnapshot(DotInstant, "DOT", 40m, 0m, 0m, false, false, null)));
            Assert.That(snapshot.Ledger[^1].Amount, Is.EqualTo(-40m));
        });
    }

    [Test]
    public async Task Allocations_OfABondedStrategy_MatchKrakenExample()
    {
        await Client.ResultAsync("Earn/Allocate", ("strategy_id", EthBonded), ("amount", "0.001"));
        Clock.Advance(TimeSpan.FromSeconds(3));
        await Client.ResultAsync("Earn/Allocate", ("strategy_id", EthBonded), ("amount", "0.02"));
        Clock.Advance(TimeSpan.FromSeconds(3));
        var json = await Client.PostAsync("Earn/Allocations");

        // The example's next_cursor is "2"; the emulator's allocations fit in one answer, so it is null.
        AssertShape(WithNullNextCursor("Earn_Allocations.json"), json);
        var bonding = json.GetProperty("result").GetProperty("items")[0].GetProperty("amount_allocated").GetProperty("bonding");
        Assert.Multiple(() =>
        {
            Assert.That(bonding.GetProperty("native").GetString(), Is.EqualTo("0.0210000000"));
            Assert.That(bonding.GetProperty("allocation_count").GetInt32(), Is.EqualTo(2));
            Assert.That(bonding.GetProperty("allocations")[0].GetProperty("expires").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
            Assert.That(bonding.GetProperty("allocations")[0].GetProperty("created_at").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        });

        // Bonding allocations cannot be taken out; once bonded they can, and then unbond for the strategy's period.
        await Client.ResultAsync("Earn/Deallocate", ("strategy_id", EthBonded), ("amount", "0.01"));
        Clock.Advance(TimeSpan.FromSeconds(3));
        var refused = await Client.ErrorAsync("Earn/DeallocateStatus", ("strategy_id", EthBonded));
        Clock.Advance(TimeSpan.FromDays(14));
        await Client.ResultAsync("Earn/Deallocate", ("strategy_id", EthBonded), ("amount", "0.01"));
        Clock.Advance(TimeSpan.FromSeconds(3));
        var unbonding = (await Client.ResultAsync("Earn/Allocations")).GetProperty("items")[0].GetProperty("amount_allocated");
        var balanceWhileUnbonding = Account.Balance("XETH");
        Clock.Advance(TimeSpan.FromDays(10));
        var after = Account;

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo("EEarnings:Insufficient funds:Insufficient funds to complete the (de)allocation request"));
            Assert.That(unbonding.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "unbonding", "total" }));
            Assert.That(unbonding.GetProperty("unbonding").GetProperty("native").GetString(), Is.EqualTo("0.0100000000"));
            Assert.That(unbonding.GetProperty("total").GetProperty("native").GetString(), Is.EqualTo("0.0210000000"));
            Assert.That(balanceWhileUnbonding, Is.EqualTo(20m - 0.021m));
            Assert.That(after.Balance("XETH"), Is.EqualTo(20m - 0.011m));
            Assert.That(after.EarnAllocation(EthBonded)!.Total, Is.EqualTo(0.011m));
        });
    }

    [Test]
    public async Task Deallocate_OfAFlexStrategy_ReturnsTheFundsAfterTheOperationTime()
    {
        await Client.ResultAsync("Earn/Allocate", ("strategy_id", EthFlex), ("amount", "5"));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var accepted = await Client.ResultAsync("Earn/Deallocate", ("strategy_id", EthFlex), ("amount", "2"));
        var pending = await Client.ResultAsync("Earn/DeallocateStatus", ("strategy_id", EthFlex));
        var allocateStatus = await Client.ResultAsync("Earn/AllocateStatus", ("strategy_id", EthFlex));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var done = await Client.ResultAsync("Earn/DeallocateStatus", ("strategy_id", EthFlex));
        var hidden = await Client.ResultAsync("Earn/Allocations", ("hide_zero_allocations", "true"));

        Assert.Multiple(() =>
        {
            Assert.That(accepted.GetBoolean(), Is.True);
            Assert.That(pending.GetProperty("pending").GetBoolean(), Is.True);
            Assert.That(allocateStatus.GetProperty("pending").GetBoolean(), Is.False);
            Assert.That(done.GetProperty("pending").GetBoolean(), Is.False);
            Assert.That(Account.Balance("XETH"), Is.EqualTo(17m));
            Assert.That(Account.EarnAllocation(EthFlex)!.Total, Is.EqualTo(3m));
            Assert.That(hidden.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        });

        // What is left may be taken out even below the minimum (0.01), and then the position counts as zero.
        await Client.ResultAsync("Earn/Deallocate", ("strategy_id", EthFlex), ("amount", "2.995"));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var dust = await Client.ErrorAsync("Earn/Deallocate", ("strategy_id", EthFlex), ("amount", "0.004"));
        await Client.ResultAsync("Earn/Deallocate", ("strategy_id", EthFlex), ("amount", "0.005"));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var shown = await Client.ResultAsync("Earn/Allocations");
        var hiddenNow = await Client.ResultAsync("Earn/Allocations", ("hide_zero_allocations", "true"));
        Assert.Multiple(() =>
        {
            Assert.That(dust, Is.EqualTo("EEarnings:Below min:(De)allocation operation amount less than minimum"));
            Assert.That(shown.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
            Assert.That(hiddenNow.GetProperty("items").GetArrayLength(), Is.Zero);
            Assert.That(Account.Balance("XETH"), Is.EqualTo(20m));
        });
    }

    [Test]
    public async Task Allocate_RefusesWithKrakensStrings()
    {
        var unknown = await Client.ErrorAsync("Earn/Allocate", ("strategy_id", "ESNOPE-NOPE-NOPE"), ("amount", "1"));
        var unknownStatus = await Client.ErrorAsync("Earn/AllocateStatus", ("strategy_id", "ESNOPE-NOPE-NOPE"));
        var belowMinimum = await Client.ErrorAsync("Earn/Allocate", ("strategy_id", EthFlex), ("amount", "0.001"));
        var badAmount = await Client.ErrorAsync("Earn/Allocate", ("strategy_id", EthFlex), ("amount", "-1"));
        var tier = await Client.ErrorAsync("Earn/Allocate", ("strategy_id", SolBondedIntermediate), ("amount", "10"));
        await Client.ResultAsync("Earn/Allocate", ("strategy_id", EthFlex), ("amount", "1"));
        var busy = await Client.ErrorAsync("Earn/Allocate", ("strategy_id", EthFlex), ("amount", "1"));
        var busyDeallocate = await Client.ErrorAsync("Earn/Deallocate", ("strategy_id", EthFlex), ("amount", "1"));

        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.EqualTo("EGeneral:Invalid arguments:Invalid strategy ID"));
            Assert.That(unknownStatus, Is.EqualTo("EGeneral:Invalid arguments:Invalid strategy ID"));
            Assert.That(belowMinimum, Is.EqualTo("EEarnings:Below min:(De)allocation operation amount less than minimum"));
            Assert.That(badAmount, Is.EqualTo("EGeneral:Invalid arguments:amount"));
            Assert.That(tier, Is.EqualTo("EEarnings:Permission denied:The user's tier is not high enough"));
            Assert.That(busy, Is.EqualTo("EEarnings:Busy:Another (de)allocation for the same strategy is in progress"));
            Assert.That(busyDeallocate, Is.EqualTo("EEarnings:Busy:Another (de)allocation for the same strategy is in progress"));
        });
    }

    [Test]
    public async Task Allocate_FailingOnCompletion_IsReportedByTheStatus_AndMovesNothing()
    {
        // Accepted (the check is asynchronous, as Kraken's), then refused when it runs: the account has no USDT.
        var accepted = await Client.ResultAsync("Earn/Allocate", ("strategy_id", UsdtCapped), ("amount", "50"));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var json = await Client.PostAsync("Earn/AllocateStatus", ("strategy_id", UsdtCapped));

        Kraken.Accounts.Deposit(Key, "USDT", 200_000m);
        await Client.ResultAsync("Earn/Allocate", ("strategy_id", UsdtCapped), ("amount", "150000"));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var aboveCap = await Client.ErrorAsync("Earn/AllocateStatus", ("strategy_id", UsdtCapped));

        Assert.Multiple(() =>
        {
            Assert.That(accepted.GetBoolean(), Is.True);
            Assert.That(PrivateClient.Error("Earn/AllocateStatus", json), Is.EqualTo("EEarnings:Insufficient funds:Insufficient funds to complete the (de)allocation request"));
            Assert.That(aboveCap, Is.EqualTo("EEarnings:Above max:The allocation exceeds user limit for the strategy"));
            Assert.That(Account.Balance("USDT"), Is.EqualTo(200_000m));
            Assert.That(Account.EarnAllocation(UsdtCapped)!.LastError, Is.EqualTo(aboveCap));
        });
    }

    [Test]
    public async Task ParallelAllocations_OnOneStrategy_OnlyOneIsAccepted()
    {
        var client = new PrivateClient(Http, ParallelKey, Secret);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsync("Earn/Allocate", ("strategy_id", EthFlex), ("amount", "1"))));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var account = Kraken.Accounts.Get(ParallelKey);

        Assert.Multiple(() =>
        {
            Assert.That(answers.Count(a => a.GetProperty("error").GetArrayLength() == 0), Is.EqualTo(1));
            Assert.That(answers.Where(a => a.GetProperty("error").GetArrayLength() > 0).Select(a => a.GetProperty("error")[0].GetString()),
                Is.All.EqualTo("EEarnings:Busy:Another (de)allocation for the same strategy is in progress"));
            Assert.That(account.Balance("XETH"), Is.EqualTo(9m));
            Assert.That(account.EarnAllocation(EthFlex)!.Total, Is.EqualTo(1m));
        });
    }

    [Test]
    public async Task StatusShapes_MatchKrakenExamples()
    {
        AssertShape("Earn_Allocate.json", await Client.PostAsync("Earn/Allocate", ("strategy_id", EthFlex), ("amount", "1")));
        Clock.Advance(TimeSpan.FromSeconds(2));
        AssertShape("Earn_AllocateStatus.json", await Client.PostAsync("Earn/AllocateStatus", ("strategy_id", EthFlex)));
        AssertShape("Earn_Deallocate.json", await Client.PostAsync("Earn/Deallocate", ("strategy_id", EthFlex), ("amount", "1")));
        Clock.Advance(TimeSpan.FromSeconds(2));
        AssertShape("Earn_DeallocateStatus.json", await Client.PostAsync("Earn/DeallocateStatus", ("strategy_id", EthFlex)));
    }

    protected override void Configure(KrakenEmulatorOptions options) =>
        options.Accounts.Add(new EmulatedAccountOptions(ParallelKey, Secret)
        {
            NonceWindow = 1_000,
            Balances = new Dictionary<string, decimal> { ["XETH"] = 10m },
        });

    /// <summary>A fixture with result.next_cursor set to null (which then accepts a string or null).</summary>
    private static JsonElement WithNullNextCursor(string fixture)
    {
        var node = JsonNode.Parse(Fixtures.Bytes(fixture))!;
        node["result"]!["next_cursor"] = null;
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
