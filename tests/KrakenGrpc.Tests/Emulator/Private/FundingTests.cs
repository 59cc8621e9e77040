using System.Text.Json;
using System.Text.Json.Nodes;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Funding: every endpoint answers in the shape of its documented example; deposits (starting balances and
/// <see cref="EmulatedAccounts.Deposit(string, string, decimal)"/>) appear in DepositStatus; a withdrawal takes the
/// money at once, is "Pending" until the settle time (5 s by default) passes on the emulator's clock, then "Success";
/// a cancel while pending gives it back; WalletTransfer moves spot funds out and is listed by WithdrawStatus.
/// </summary>
[TestFixture]
public sealed class FundingTests : PrivateEmulatorTestBase
{
    private const string ParallelKey = "parallel-funding-key";
    // ------------------------------------------------------------------ shapes

    [Test]
    public async Task DepositMethods_ForXbt_AreTheExamplesMethods()
    {
        var result = await Client.ResultAsync("DepositMethods", ("asset", "XBT"));
        Assert.That(ListShape.SameAsExample("DepositMethods.json", result), Is.Empty, result.ToString);
        Assert.That(result.EnumerateArray().Select(m => m.GetProperty("method").GetString()), Is.EqualTo(new[] { "Bitcoin", "Bitcoin Lightning" }));
    }

    [Test]
    public async Task DepositAddresses_MatchKrakenExample_AndNewMakesAnother()
    {
        var before = await Client.ResultAsync("DepositAddresses", ("asset", "XBT"), ("method", "Bitcoin"));
        var after = await Client.ResultAsync("DepositAddresses", ("asset", "XBT"), ("method", "Bitcoin"), ("new", "true"));

        Assert.Multiple(() =>
        {
            Assert.That(ListShape.FollowsExample(ListShape.ExampleResult("DepositAddresses.json"), after), Is.Empty, after.ToString);

            // The starting balance was deposited to the first address, so it is no longer "new"; the new one is first.
            Assert.That(before.GetArrayLength(), Is.EqualTo(1));
            Assert.That(before[0].TryGetProperty("new", out _), Is.False);
            Assert.That(after.GetArrayLength(), Is.EqualTo(2));
            Assert.That(after[0].GetProperty("new").GetBoolean(), Is.True);
            Assert.That(after[0].GetProperty("address").GetString(), Does.StartWith("bc1q").And.Not.EqualTo(before[0].GetProperty("address").GetString()));
            Assert.That(after[1].GetProperty("address").GetString(), Is.EqualTo(before[0].GetProperty("address").GetString()));
        });
    }

    [Test]
    public async Task DepositAddresses_Lightning_NeedsAnAmount_AndAnswersAnInvoice()
    {
        var missing = await Client.ErrorAsync("DepositAddresses", ("asset", "XBT"), ("method", "Bitcoin Lightning"));
        var invoice = await Client.ResultAsync("DepositAddresses", ("asset", "XBT"), ("method", "Bitcoin Lightning"), ("amount", "0.001"));
        var unknown = await Client.ErrorAsync("DepositAddresses", ("asset", "XBT"), ("method", "Carrier pigeon"));

        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.EqualTo("EGeneral:Invalid arguments:amount"));
            Assert.That(invoice[0].GetProperty("address").GetString(), Does.StartWith("lnbc"));
            Assert.That(long.Parse(invoice[0].GetProperty("expiretm").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
            Assert.That(unknown, Is.EqualTo("EFunding:No funding method"));
        });
    }

    [Test]
    public async Task DepositStatus_ListsStartingAndLaterDeposits_InTheExamplesShape()
    {
        var refId = Kraken.Accounts.Deposit(Key, "XBT", 0.78125m);
        var result = await Client.ResultAsync("DepositStatus", ("asset", "XBT"));
        var all = await Client.ResultAsync("DepositStatus");
        var ledger = Account.Ledger.Single(e => e.RefId == refId);

        Assert.Multiple(() =>
        {
            // Both examples carry status-prop ("return", "onhold"); an ordinary deposit has neither, so it is optional.
            Assert.That(ListShape.FollowsExample(ListShape.ExampleResult("DepositStatus.json"), result, "status-prop"), Is.Empty, result.ToString);

            // Newest first: the later deposit, then the starting balance's.
            Assert.That(result.GetArrayLength(), Is.EqualTo(2));
            Assert.That(result[0].GetProperty("refid").GetString(), Is.EqualTo(refId));
            Assert.That(result[0].GetProperty("amount").GetString(), Is.EqualTo("0.78125000"));
            Assert.That(result[0].GetProperty("method").GetString(), Is.EqualTo("Bitcoin"));
            Assert.That(result[0].GetProperty("status").GetString(), Is.EqualTo("Success"));
            Assert.That(result[1].GetProperty("amount").GetString(), Is.EqualTo("2.00000000"));
            Assert.That(ledger.Type, Is.EqualTo("deposit"));
            Assert.That(ledger.Amount, Is.EqualTo(0.78125m));
            Assert.That(all.EnumerateArray().Select(d => d.GetProperty("asset").GetString()), Is.EquivalentTo(new[] { "XXBT", "ZUSD", "XXBT", "XETH", "ZEUR", "SOL" }));
            Assert.That(Account.Deposits.Select(d => d.RefId), Does.Contain(refId));
        });
    }

    [Test]
    public async Task DepositStatus_HonoursMethodAndTimeFilters()
    {
        // The starting balances arrived at start-up; ten seconds later another deposit.
        var startUp = await ServerTimeAsync();
        Clock.Advance(TimeSpan.FromSeconds(10));
        Kraken.Accounts.Deposit(Key, "XBT", 0.5m, "Bitcoin Lightning");

        var lightning = await Client.ResultAsync("DepositStatus", ("asset", "XBT"), ("method", "Bitcoin Lightning"));
        var since = await Client.ResultAsync("DepositStatus", ("start", Text(startUp + 5)));
        var before = await Client.ResultAsync("DepositStatus", ("end", Text(startUp + 5)));
        var unknown = await Client.ErrorAsync("DepositStatus", ("asset", "NOPE"));

        Assert.Multiple(() =>
        {
            Assert.That(lightning.GetArrayLength(), Is.EqualTo(1));
            Assert.That(lightning[0].GetProperty("amount").GetString(), Is.EqualTo("0.50000000"));
            Assert.That(since.GetArrayLength(), Is.EqualTo(1));
            Assert.That(before.GetArrayLength(), Is.EqualTo(5));
            Assert.That(unknown, Is.EqualTo("EFunding:Unknown asset"));
        });
    }

    [Test]
    public async Task DepositStatus_WithCursor_PagesNewestFirst()
    {
        for (var i = 1; i <= 3; i++)
        {
            Kraken.Accounts.Deposit(Key, "ETH", i);
        }

        var first = await Client.ResultAsync("DepositStatus", ("asset", "ETH"), ("cursor", "true"), ("limit", "2"));
        var cursor = first.GetProperty("next_cursor").GetString()!;
        var second = await Client.ResultAsync("DepositStatus", ("asset", "ETH"), ("cursor", cursor), ("limit", "2"));
        var bad = await Client.ErrorAsync("DepositStatus", ("cursor", "not-a-cursor"));

        Assert.Multiple(() =>
        {
            Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "deposit", "next_cursor" }));
            Assert.That(first.GetProperty("deposit").EnumerateArray().Select(d => d.GetProperty("amount").GetString()), Is.EqualTo(new[] { "3.0000000000", "2.0000000000" }));
            Assert.That(second.GetProperty("deposit").EnumerateArray().Select(d => d.GetProperty("amount").GetString()), Is.EqualTo(new[] { "1.0000000000", "20.0000000000" }));
            Assert.That(second.GetProperty("next_cursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(bad, Is.EqualTo("EGeneral:Invalid arguments:cursor"));
        });
    }

    [Test]
    public async Task WithdrawMethods_ForXbt_AreTheExamplesMethods()
    {
        var result = await Client.ResultAsync("WithdrawMethods", ("asset", "XBT"));
        var lightning = await Client.ResultAsync("WithdrawMethods", ("network", "Lightning"));
        var all = await Client.ResultAsync("WithdrawMethods");

        Assert.Multiple(() =>
        {
            Assert.That(ListShape.SameAsExample("WithdrawMethods.json", result), Is.Empty, result.ToString);
            Assert.That(result[0].GetProperty("minimum").GetString(), Is.EqualTo("0.0004"));
            Assert.That(lightning.GetArrayLength(), Is.EqualTo(1));
            Assert.That(all.EnumerateArray().Select(m => m.GetProperty("asset").GetString()).Distinct(), Is.EquivalentTo(new[] { "DOT", "SOL", "USDT", "XETH", "XXBT", "ZEUR", "ZUSD" }));
        });
    }

    [Test]
    public async Task WithdrawAddresses_MatchKrakenExample_WithTheDefaultKeys()
    {
        var xbt = await Client.ResultAsync("WithdrawAddresses", ("asset", "XBT"));
        var all = await Client.ResultAsync("WithdrawAddresses");
        var byKey = await Client.ResultAsync("WithdrawAddresses", ("key", "eur-bank"));

        Assert.Multiple(() =>
        {
            Assert.That(ListShape.SameAsExample("WithdrawAddresses.json", xbt), Is.Empty, xbt.ToString);
            Assert.That(xbt[0].GetProperty("key").GetString(), Is.EqualTo("btc-cold"));
            Assert.That(xbt[0].GetProperty("asset").GetString(), Is.EqualTo("XBT"));
            Assert.That(all.EnumerateArray().Select(a => a.GetProperty("key").GetString()), Is.EqualTo(new[] { "btc-cold", "eur-bank" }));
            Assert.That(byKey[0].GetProperty("method").GetString(), Is.EqualTo("SEPA"));
        });
    }

    [Test]
    public async Task WithdrawInfo_MatchesKrakenExample_FeeTakenOutOfTheAmount()
    {
        var json = await Client.PostAsync("WithdrawInfo", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.72505"));
        AssertShape("WithdrawInfo.json", json);
        var result = json.GetProperty("result");
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("method").GetString(), Is.EqualTo("Bitcoin"));
            Assert.That(result.GetProperty("amount").GetString(), Is.EqualTo("0.72485000"));
            Assert.That(result.GetProperty("fee").GetString(), Is.EqualTo("0.00020000"));
            Assert.That(result.GetProperty("limit").GetString(), Is.EqualTo("1.99980000"));
        });
    }

    [Test]
    public async Task WithdrawCancelAndWalletTransfer_MatchKrakenExamples()
    {
        var withdraw = await Client.PostAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.1"));
        AssertShape("Withdraw.json", withdraw);
        AssertShape("WithdrawCancel.json", await Client.PostAsync("WithdrawCancel", ("asset", "XBT"), ("refid", withdraw.GetProperty("result").GetProperty("refid").GetString()!)));
        AssertShape("WalletTransfer.json", await Client.PostAsync("WalletTransfer", ("asset", "XBT"), ("from", "Spot Wallet"), ("to", "Futures Wallet"), ("amount", "0.01")));
    }

    // ------------------------------------------------------------------ withdrawals

    [Test]
    public async Task Withdraw_ReducesTheBalanceAtOnce_PendingThenSettled()
    {
        var refId = (await Client.ResultAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.72505"))).GetProperty("refid").GetString()!;
        var pending = await Client.ResultAsync("WithdrawStatus", ("asset", "XBT"));
        var balance = await Client.ResultAsync("Balance");
        var whilePending = Account;

        Clock.Advance(TimeSpan.FromSeconds(5));
        var settled = await Client.ResultAsync("WithdrawStatus", ("asset", "XBT"));

        Assert.Multiple(() =>
        {
            Assert.That(refId, Does.Match("^F[0-9A-Za-z]{6}-[0-9A-Za-z]{22}$"));
            Assert.That(ListShape.FollowsExample(ListShape.ExampleResult("WithdrawStatus.json"), pending), Is.Empty, pending.ToString);
            Assert.That(pending[0].GetProperty("refid").GetString(), Is.EqualTo(refId));
            Assert.That(pending[0].GetProperty("status").GetString(), Is.EqualTo("Pending"));
            Assert.That(pending[0].GetProperty("amount").GetString(), Is.EqualTo("0.72485000"));
            Assert.That(pending[0].GetProperty("fee").GetString(), Is.EqualTo("0.00020000"));
            Assert.That(pending[0].GetProperty("key").GetString(), Is.EqualTo("btc-cold"));
            Assert.That(pending[0].TryGetProperty("status-prop", out _), Is.False);

            // What arrives plus the fee left at once.
            Assert.That(balance.GetProperty("XXBT").GetString(), Is.EqualTo("1.2749500000"));
            Assert.That(whilePending.Balance("XXBT"), Is.EqualTo(2m - 0.72505m));
            Assert.That(whilePending.Withdrawals.Single().Status, Is.EqualTo("Pending"));
            var entry = whilePending.Ledger.Single(e => e.RefId == refId);
            Assert.That((entry.Type, entry.Amount, entry.Fee), Is.EqualTo(("withdrawal", -0.72485m, 0.0002m)));

            Assert.That(settled[0].GetProperty("status").GetString(), Is.EqualTo("Success"));
            Assert.That(Account.Withdrawals.Single().Status, Is.EqualTo("Success"));
        });
    }

    [Test]
    public async Task WithdrawCancel_WhilePending_RestoresTheBalance_ThenSettledOnesAreRefused()
    {
        var first = (await Client.ResultAsync("Withdraw", ("asset", "EUR"), ("key", "eur-bank"), ("amount", "1000"))).GetProperty("refid").GetString()!;
        Assert.That(Account.Balance("ZEUR"), Is.EqualTo(49_000m));

        var cancelled = await Client.ResultAsync("WithdrawCancel", ("asset", "EUR"), ("refid", first));
        var status = (await Client.ResultAsync("WithdrawStatus", ("asset", "ZEUR")))[0];
        var again = await Client.ErrorAsync("WithdrawCancel", ("asset", "EUR"), ("refid", first));

        var second = (await Client.ResultAsync("Withdraw", ("asset", "EUR"), ("key", "eur-bank"), ("amount", "500"))).GetProperty("refid").GetString()!;
        Clock.Advance(TimeSpan.FromSeconds(6));
        var late = await Client.ErrorAsync("WithdrawCancel", ("asset", "EUR"), ("refid", second));
        var unknown = await Client.ErrorAsync("WithdrawCancel", ("asset", "EUR"), ("refid", "FXXXXXX-0000000000000000000000"));

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.GetBoolean(), Is.True);
            Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("Failure"));
            Assert.That(status.GetProperty("status-prop").GetString(), Is.EqualTo("canceled"));
            Assert.That(again, Is.EqualTo("EFunding:Cannot cancel withdrawal"));
            Assert.That(late, Is.EqualTo("EFunding:Cannot cancel withdrawal"));
            Assert.That(unknown, Is.EqualTo("EGeneral:Invalid arguments:refid"));
            Assert.That(Account.Balance("ZEUR"), Is.EqualTo(49_500m));
            Assert.That(Account.Withdrawals.Select(w => (w.Status, w.StatusProp)), Is.EqualTo(new[] { ("Failure", (string?)"canceled"), ("Success", null) }));
        });
    }

    [Test]
    public async Task Withdraw_RefusesWithKrakensStrings()
    {
        var unknownKey = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "nope"), ("amount", "0.1"));
        var otherAssetsKey = await Client.ErrorAsync("Withdraw", ("asset", "ETH"), ("key", "btc-cold"), ("amount", "0.1"));
        var insufficient = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "2.5"));
        var invalid = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "abc"));
        var belowMinimum = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.0001"));
        var tooManyDecimals = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.123456789"));
        var maxFee = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.1"), ("max_fee", "0.0001"));
        var address = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.1"), ("address", "bc1qsomeoneelse"));
        var unknownAsset = await Client.ErrorAsync("Withdraw", ("asset", "NOPE"), ("key", "btc-cold"), ("amount", "0.1"));
        var noKey = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("amount", "0.1"));
        var keyAddress = (await Client.ResultAsync("WithdrawAddresses", ("key", "btc-cold")))[0].GetProperty("address").GetString()!;
        var matching = await Client.ResultAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.1"), ("address", keyAddress), ("max_fee", "0.0002"));

        Assert.Multiple(() =>
        {
            Assert.That(unknownKey, Is.EqualTo("EFunding:Unknown withdraw key"));
            Assert.That(otherAssetsKey, Is.EqualTo("EFunding:Unknown withdraw key"));
            Assert.That(insufficient, Is.EqualTo("EFunding:Insufficient funds"));
            Assert.That(invalid, Is.EqualTo("EFunding:Invalid amount"));
            Assert.That(belowMinimum, Is.EqualTo("EFunding:Invalid amount"));
            Assert.That(tooManyDecimals, Is.EqualTo("EFunding:Invalid amount"));
            Assert.That(maxFee, Is.EqualTo("EFunding:Max fee exceeded"));
            Assert.That(address, Is.EqualTo("EFunding:Invalid withdrawal address"));
            Assert.That(unknownAsset, Is.EqualTo("EFunding:Unknown asset"));
            Assert.That(noKey, Is.EqualTo("EGeneral:Invalid arguments:key"));
            Assert.That(matching.GetProperty("refid").GetString(), Is.Not.Empty);
            Assert.That(Account.Withdrawals, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Withdraw_CannotTakeWhatOpenOrdersHold()
    {
        // 1.5 XBT held by a resting sell leaves 0.5 withdrawable.
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "sell"), ("ordertype", "limit"), ("price", "500000.0"), ("volume", "1.5"));
        var refused = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.6"));
        var info = await Client.ResultAsync("WithdrawInfo", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.1"));
        var available = Account.Available("XXBT");
        Assert.Multiple(() =>
        {
            Assert.That(available, Is.LessThanOrEqualTo(0.5m));
            Assert.That(refused, Is.EqualTo("EFunding:Insufficient funds"));
            Assert.That(Dec(info.GetProperty("limit").GetString()!), Is.EqualTo(available - 0.0002m));
        });
    }

    [Test]
    public async Task WithdrawStatus_WithCursor_PagesAndFiltersByTime()
    {
        var start = await ServerTimeAsync();
        for (var i = 0; i < 3; i++)
        {
            await Client.ResultAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.01"));
        }

        var first = await Client.ResultAsync("WithdrawStatus", ("cursor", "true"), ("limit", "2"));
        var second = await Client.ResultAsync("WithdrawStatus", ("cursor", first.GetProperty("next_cursor").GetString()!), ("limit", "2"));
        var afterStart = await Client.ResultAsync("WithdrawStatus", ("start", Text(start - 1)));
        var beforeStart = await Client.ResultAsync("WithdrawStatus", ("end", Text(start)));
        var refIds = Account.Withdrawals.Select(w => w.RefId).Reverse().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "withdrawals", "next_cursor" }));
            Assert.That(first.GetProperty("withdrawals").EnumerateArray().Concat(second.GetProperty("withdrawals").EnumerateArray()).Select(w => w.GetProperty("refid").GetString()), Is.EqualTo(refIds));
            Assert.That(second.GetProperty("next_cursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(afterStart.GetArrayLength(), Is.EqualTo(3));
            Assert.That(beforeStart.GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task WalletTransfer_MovesSpotFunds_AndIsListedByWithdrawStatus()
    {
        var refId = (await Client.ResultAsync("WalletTransfer", ("asset", "XBT"), ("from", "Spot Wallet"), ("to", "Futures Wallet"), ("amount", "0.5"))).GetProperty("refid").GetString()!;
        var listed = (await Client.ResultAsync("WithdrawStatus", ("asset", "XBT")))[0];
        var wrongWay = await Client.ErrorAsync("WalletTransfer", ("asset", "XBT"), ("from", "Futures Wallet"), ("to", "Spot Wallet"), ("amount", "0.5"));
        var tooMuch = await Client.ErrorAsync("WalletTransfer", ("asset", "XBT"), ("from", "Spot Wallet"), ("to", "Futures Wallet"), ("amount", "5"));
        var snapshot = Account;

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Balance("XXBT"), Is.EqualTo(1.5m));
            Assert.That(snapshot.Ledger.Single(e => e.RefId == refId).Type, Is.EqualTo("transfer"));
            Assert.That(listed.GetProperty("refid").GetString(), Is.EqualTo(refId));
            Assert.That(listed.GetProperty("method").GetString(), Is.EqualTo("Futures Wallet"));
            Assert.That(listed.GetProperty("amount").GetString(), Is.EqualTo("0.50000000"));
            Assert.That(listed.GetProperty("status").GetString(), Is.EqualTo("Pending"));
            Assert.That(listed.TryGetProperty("key", out _), Is.False);
            Assert.That(wrongWay, Is.EqualTo("EGeneral:Invalid arguments:from"));
            Assert.That(tooMuch, Is.EqualTo("EFunding:Insufficient funds"));
            Assert.That(snapshot.WalletTransfers.Single().RefId, Is.EqualTo(refId));
            Assert.That(snapshot.Withdrawals, Is.Empty);
        });

        // A transfer still pending can be cancelled like a withdrawal.
        Assert.That((await Client.ResultAsync("WithdrawCancel", ("asset", "XBT"), ("refid", refId))).GetBoolean(), Is.True);
        Assert.That(Account.Balance("XXBT"), Is.EqualTo(2m));
    }

    [Test]
    public async Task ParallelWithdrawals_NeverTakeMoreThanTheBalance()
    {
        // Nonces of one counter may overtake each other on the way; the key's window accepts them once each.
        var client = new PrivateClient(Http, ParallelKey, Secret);
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.PostAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.15"))));
        var errors = answers.Where(a => a.GetProperty("error").GetArrayLength() > 0).Select(a => a.GetProperty("error")[0].GetString()).ToArray();
        var account = Kraken.Accounts.Get(ParallelKey);

        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Length.EqualTo(17).And.All.EqualTo("EFunding:Insufficient funds"));
            Assert.That(account.Withdrawals, Has.Count.EqualTo(13));
            Assert.That(account.Withdrawals.Select(w => w.RefId), Is.Unique);
            Assert.That(account.Balance("XXBT"), Is.EqualTo(2m - (13 * 0.15m)));
            Assert.That(account.Ledger.Where(e => e.Asset == "XXBT").Sum(e => e.Amount - e.Fee), Is.EqualTo(account.Balance("XXBT")));
        });
    }

    [Test]
    public async Task FundingEndpoints_AcceptJsonBodies()
    {
        var result = await Client.JsonResultAsync("Withdraw", new JsonObject { ["asset"] = "XBT", ["key"] = "btc-cold", ["amount"] = "0.1" });
        Assert.That(result.GetProperty("refid").GetString(), Is.EqualTo(Account.Withdrawals.Single().RefId));
    }

    protected override void Configure(KrakenEmulatorOptions options) =>
        options.Accounts.Add(new EmulatedAccountOptions(ParallelKey, Secret)
        {
            NonceWindow = 1_000,
            Balances = new Dictionary<string, decimal> { ["XXBT"] = 2m },
        });

    /// <summary>The emulator's clock in unix seconds (the Time endpoint), so time filters can bracket what a test does.</summary>
    private async Task<long> ServerTimeAsync()
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri("0/public/Time", UriKind.Relative)));
        return document.RootElement.GetProperty("result").GetProperty("unixtime").GetInt64();
    }
}

/// <summary>Withdrawal keys and permissions from the account options.</summary>
[TestFixture]
public sealed class ConfiguredFundingTests : PrivateEmulatorTestBase
{
    private const string ReadOnlyKey = "read-only-key";

    [Test]
    public async Task ConfiguredWithdrawalKeys_ReplaceTheDefaults()
    {
        var keys = await Client.ResultAsync("WithdrawAddresses");
        var refId = (await Client.ResultAsync("Withdraw", ("asset", "ETH"), ("key", "eth-hot"), ("amount", "1"))).GetProperty("refid").GetString()!;
        var unknown = await Client.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.1"));
        var withdrawal = Account.Withdrawals.Single();

        Assert.Multiple(() =>
        {
            Assert.That(keys.EnumerateArray().Select(k => (k.GetProperty("key").GetString(), k.GetProperty("verified").GetBoolean())), Is.EqualTo(new[] { ("eth-hot", false) }));
            Assert.That(withdrawal.RefId, Is.EqualTo(refId));
            Assert.That(withdrawal.Info, Is.EqualTo("0x6f46cf5569aefa1acc1009290c8e043747172d89"));
            Assert.That(withdrawal.Amount, Is.EqualTo(1m - 0.0015m));
            Assert.That(unknown, Is.EqualTo("EFunding:Unknown withdraw key"));
        });
    }

    [Test]
    public async Task AKeyWithoutTheFundsPermissions_IsDenied()
    {
        var readOnly = new PrivateClient(Http, ReadOnlyKey, Secret);
        var balance = await readOnly.ResultAsync("Balance");
        var withdraw = await readOnly.ErrorAsync("Withdraw", ("asset", "XBT"), ("key", "btc-cold"), ("amount", "0.1"));
        var depositMethods = await readOnly.ErrorAsync("DepositMethods", ("asset", "XBT"));
        var order = await readOnly.ErrorAsync("AddOrder", ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.01"));
        var info = await readOnly.ResultAsync("GetApiKeyInfo");
        var withdrawals = await readOnly.ResultAsync("WithdrawStatus");
        Assert.Multiple(() =>
        {
            Assert.That(balance.ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(withdraw, Is.EqualTo("EGeneral:Permission denied"));
            Assert.That(depositMethods, Is.EqualTo("EGeneral:Permission denied"));
            Assert.That(order, Is.EqualTo("EGeneral:Permission denied"));
            Assert.That(info.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "query-funds", "query-ledger" }));
            Assert.That(withdrawals.GetArrayLength(), Is.Zero);
        });
    }

    protected override void Configure(KrakenEmulatorOptions options)
    {
        var account = options.Accounts[0];
        options.Accounts[0] = account with
        {
            WithdrawalKeys = [new EmulatedWithdrawalKey("eth-hot", "ETH", "Ether", "0x6f46cf5569aefa1acc1009290c8e043747172d89") { Verified = false }],
        };
        options.Accounts.Add(new EmulatedAccountOptions(ReadOnlyKey, Secret)
        {
            Permissions = ["query-funds", "query-ledger"],
            Balances = new Dictionary<string, decimal> { ["XXBT"] = 1m },
        });
    }
}
