using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// FundingService and OAuthService end to end: gRPC client -> gateway -> HTTP -> the emulator's paper accounts,
/// funding book, Earn book and Kraken Connect server. Every RPC goes through a real gRPC client; its answer is compared
/// with the paper account (read through the emulator's inspection API) decimal text for decimal text, and the
/// account's state is checked afterwards. Each test area has its own Pro-tier account (so no test's rate counter or
/// OAuth grant touches another's), and the market never moves (prices are fixed, so converted values are exact).
/// </summary>
/// <remarks>
/// Withdrawals settle and Earn operations complete after <see cref="OperationTime"/>: long enough that a loaded
/// two-core machine still sees them pending right after they were made, short enough to wait for.
/// </remarks>
public class FundingAndOAuthSandboxTests
{
    private const string XbtKey = "btc-cold";
    private const string EthKey = "eth-hot";
    private const string BtcAddress = "bc1qxdsh4sdd29h6ldehz0se5c61asq8cgwyjf2y3z";
    private const string EthAddress = "0x6f46cf5569aefa1acc1009290c8e043747172d89";

    /// <summary>Kraken's fee and minimum for Bitcoin withdrawals (the WithdrawInfo example: fee 0.0002).</summary>
    private const decimal BitcoinWithdrawalFee = 0.0002m;
    private const decimal EtherWithdrawalFee = 0.0015m;

    /// <summary>DOT's instant Earn strategy (the Strategies example) and its bonded one.</summary>
    private const string DotInstant = "ESRFUO3-Q62XD-WIOIL7";
    private const string DotBonded = "ESXUM7H-SJHQ6-KOQNNI";

    private const string OAuthClientId = "funding-tests-app";
    private const string RedirectUri = "https://app.example/kraken/callback";

    private const string WithdrawPath = "/0/private/Withdraw";
    private const string AllocatePath = "/0/private/Earn/Allocate";
    private const string DeallocatePath = "/0/private/Earn/Deallocate";
    private const string TransferPath = "/0/private/WalletTransfer";
    private const string DepositMethodsPath = "/0/private/DepositMethods";
    private const string DepositAddressesPath = "/0/private/DepositAddresses";
    private const string TokenPath = "/oauth/token";
    private const string UserInfoPath = "/oauth/userinfo";
    private const string FastApiKeyPath = "/oauth/fast-api-key";

    private static readonly TimeSpan OperationTime = TimeSpan.FromSeconds(3);

    /// <summary>The per-attempt timeout of the impatient gateway, and a delay well beyond it.</summary>
    private static readonly TimeSpan ShortRequestTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BeyondTheTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Generous: the machine may be loaded.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(400);

    private static readonly string[] AccountNames =
    [
        "depositmethods", "addresses", "deposits", "depositpages", "depositwindow", "withdrawinfo", "withdraw",
        "withdrawpages", "cancel", "refusals", "futures", "strategies", "earn", "bonded", "earnfails", "lost",
        "lostanswer", "slow", "invalid", "oauthuser", "oauthrefresh", "oauthreplay", "oauthkeys", "oauthlimits", "oauthnames",
        "oauthscope", "oauthclient",
    ];

    /// <summary>The accounts the impatient gateway (short request timeout, no OAuth client) signs for.</summary>
    private static readonly string[] ImpatientAccounts = ["slow"];

    private static readonly EmulatedWithdrawalKey[] WithdrawalKeys =
    [
        new(XbtKey, "XBT", "Bitcoin", BtcAddress),
        new(EthKey, "ETH", "Ether", EthAddress) { Verified = false },
    ];

    private readonly Dictionary<string, (string Key, string Secret)> _credentials = AccountNames.ToDictionary(
        name => name,
        name => ($"funding-key-{name}-{Guid.NewGuid():N}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))));

    private readonly string _oauthClientSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private GatewayHost _impatient = null!;
    private GatewayHost _wrongClientSecret = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions
        {
            PriceTickInterval = Timeout.InfiniteTimeSpan,
            WithdrawalSettleTime = OperationTime,
            EarnOperationTime = OperationTime,
        };
        options.OAuthClients.Add(new EmulatedOAuthClient(OAuthClientId, _oauthClientSecret));
        foreach (var name in AccountNames)
        {
            var (key, secret) = _credentials[name];
            options.Accounts.Add(new EmulatedAccountOptions(key, secret)
            {
                Tier = "Pro",
                Name = $"funding-{name}",
                Email = $"{name}@funding-tests.invalid",
                WithdrawalKeys = WithdrawalKeys,
                Balances = new Dictionary<string, decimal> { ["XXBT"] = 2m, ["XETH"] = 10m, ["DOT"] = 1000m, ["ZEUR"] = 10_000m },
            });
        }
        _kraken = await KrakenEmulator.StartAsync(options);

        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress,
        [
            .. AccountArguments(AccountNames.Except(ImpatientAccounts)),
            $"--Kraken:OAuth:ClientId={OAuthClientId}",
            $"--Kraken:OAuth:ClientSecret={_oauthClientSecret}",
        ]);
        _impatient = await GatewayHost.StartAsync(_kraken.BaseAddress,
            [.. AccountArguments(ImpatientAccounts), $"--Kraken:RequestTimeout={ShortRequestTimeout:c}"]);
        _wrongClientSecret = await GatewayHost.StartAsync(_kraken.BaseAddress,
            $"--Kraken:OAuth:ClientId={OAuthClientId}", $"--Kraken:OAuth:ClientSecret=not-{_oauthClientSecret}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _wrongClientSecret.DisposeAsync();
        await _impatient.DisposeAsync();
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [TearDown]
    public void ClearFaults() => _kraken.Faults.Clear();

    private IEnumerable<string> AccountArguments(IEnumerable<string> names) => names.SelectMany(name => new[]
    {
        $"--Kraken:Accounts:{name}:ApiKey={_credentials[name].Key}",
        $"--Kraken:Accounts:{name}:ApiSecret={_credentials[name].Secret}",
        $"--Kraken:Accounts:{name}:Tier=Pro",
    });

    private static Metadata As(string account) => new() { { "kraken-account", account } };

    private static Metadata WithToken(string accessToken) => new() { { "kraken-oauth-token", accessToken } };

    private string KeyOf(string account) => _credentials[account].Key;

    private PaperAccountSnapshot Account(string account) => _kraken.Accounts[KeyOf(account)];

    private FundingService.FundingServiceClient Funding => new(_gateway.Channel);

    private OAuthService.OAuthServiceClient OAuth => new(_gateway.Channel);

    private static string Fixed(decimal value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static decimal D(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    // =============================================================================================================
    // Deposits
    // =============================================================================================================

    [Test]
    public async Task DepositMethods_ListBitcoinAndLightning_WithKrakensFeesAndMinimumsAsText()
    {
        var response = await Funding.GetDepositMethodsAsync(new GetDepositMethodsRequest { Asset = "XBT" }, As("depositmethods"));

        Assert.That(response.Methods.Select(m => m.Method), Is.EqualTo(new[] { "Bitcoin", "Bitcoin Lightning" }));
        var bitcoin = response.Methods[0];
        var lightning = response.Methods[1];
        Assert.Multiple(() =>
        {
            // Kraken's "limit": false means no limit, read as empty.
            Assert.That(bitcoin.Limit, Is.Empty);
            Assert.That(bitcoin.Fee, Is.EqualTo("0.0000000000"));
            Assert.That(bitcoin.CanGenerateAddress, Is.True);
            Assert.That(bitcoin.Minimum, Is.EqualTo("0.00010000"));
            Assert.That(bitcoin.AddressSetupFee, Is.Empty);
            Assert.That(lightning.Limit, Is.Empty);
            Assert.That(lightning.Fee, Is.EqualTo("0.00000000"));
            Assert.That(lightning.CanGenerateAddress, Is.False, "Kraken leaves gen-address out for Lightning");
            Assert.That(lightning.Minimum, Is.EqualTo("0.00010000"));
        });
    }

    [Test]
    public async Task DepositMethodsOfAnUnknownAsset_AreNotFound()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await Funding.GetDepositMethodsAsync(new GetDepositMethodsRequest { Asset = "NOPE" }, As("depositmethods")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("UNKNOWN_ASSET"));
        });
    }

    [Test]
    public async Task DepositAddresses_ListTheStandingAddress_AndNewGeneratesAnUnusedOneListedFirst()
    {
        var account = As("addresses");
        var request = new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin" };
        // The starting XBT balance arrived as a deposit to the standing address.
        var standing = Account("addresses").Deposits.Single(d => d.Asset == "XXBT").Info;

        var before = await Funding.GetDepositAddressesAsync(request, account);
        var created = await Funding.GetDepositAddressesAsync(new GetDepositAddressesRequest(request) { New = true }, account);
        var refid = _kraken.Accounts.Deposit(KeyOf("addresses"), "XBT", 0.01m);
        var after = await Funding.GetDepositAddressesAsync(request, account);

        Assert.Multiple(() =>
        {
            Assert.That(before.Addresses.Select(a => a.Address), Is.EqualTo(new[] { standing }));
            Assert.That(before.Addresses[0].NeverUsed, Is.False, "a deposit arrived there");
            Assert.That(before.Addresses[0].ExpireTime, Is.Null, "expiretm \"0\": it never expires");
            Assert.That(before.Addresses[0].Tag, Is.Empty);
            Assert.That(before.Addresses[0].Memo, Is.Empty);

            Assert.That(created.Addresses, Has.Count.EqualTo(2));
            Assert.That(created.Addresses[0].Address, Is.Not.EqualTo(standing).And.Not.Empty);
            Assert.That(created.Addresses[0].NeverUsed, Is.True);
            Assert.That(created.Addresses[1].Address, Is.EqualTo(standing));

            // The next deposit goes to the newest address, which is then used.
            Assert.That(Account("addresses").Deposits.Single(d => d.RefId == refid).Info, Is.EqualTo(created.Addresses[0].Address));
            Assert.That(after.Addresses.Select(a => a.Address), Is.EqualTo(created.Addresses.Select(a => a.Address)));
            Assert.That(after.Addresses[0].NeverUsed, Is.False);
        });
    }

    [Test]
    public async Task LightningDepositAddress_IsAnInvoiceForTheAmount_ValidForAnHour()
    {
        var response = await Funding.GetDepositAddressesAsync(
            new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin Lightning", Amount = "0.00150000" }, As("addresses"));

        var invoice = response.Addresses.Single();
        Assert.Multiple(() =>
        {
            Assert.That(invoice.Address, Is.Not.Empty);
            Assert.That(invoice.NeverUsed, Is.True);
            Assert.That(invoice.ExpireTime, Is.Not.Null);
            Assert.That(invoice.ExpireTime.ToDateTimeOffset() - _kraken.Market.Now,
                Is.GreaterThan(TimeSpan.FromMinutes(59)).And.LessThanOrEqualTo(TimeSpan.FromHours(1)));
        });
    }

    [Test]
    public void LightningDepositAddressWithoutAnAmount_IsRefusedBeforeKraken()
    {
        var sent = _kraken.Requests.Count(DepositAddressesPath);

        var failure = Assert.ThrowsAsync<RpcException>(async () => await Funding.GetDepositAddressesAsync(
            new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin Lightning" }, As("addresses")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "amount" }));
            Assert.That(_kraken.Requests.Count(DepositAddressesPath), Is.EqualTo(sent));
        });
    }

    [Test]
    public async Task DepositsStatus_ShowsADepositMadeOnTheAccount_WithItsExactAmountRefidAndTime()
    {
        var refid = _kraken.Accounts.Deposit(KeyOf("deposits"), "XBT", 0.12345678m);
        var deposit = Account("deposits").Deposits.Single(d => d.RefId == refid);

        var response = await Funding.GetDepositsStatusAsync(new GetDepositsStatusRequest(), As("deposits"));

        var listed = response.Deposits[0];
        Assert.Multiple(() =>
        {
            Assert.That(response.NextCursor, Is.Empty, "no pagination was asked for");
            Assert.That(response.Deposits.Select(d => d.ReferenceId), Is.EqualTo(Account("deposits").Deposits.Select(d => d.RefId).Reverse()),
                "every deposit, newest first");
            Assert.That(listed.ReferenceId, Is.EqualTo(refid));
            Assert.That(listed.Method, Is.EqualTo("Bitcoin"));
            Assert.That(listed.AssetClass, Is.EqualTo("currency"));
            Assert.That(listed.Asset, Is.EqualTo("XXBT"));
            Assert.That(listed.TransactionId, Is.EqualTo(deposit.TxId));
            Assert.That(listed.Info, Is.EqualTo(deposit.Info));
            Assert.That(listed.Amount, Is.EqualTo("0.12345678"));
            Assert.That(listed.Fee, Is.EqualTo("0.0000000000"));
            Assert.That(listed.Time.Seconds, Is.EqualTo(deposit.Time.ToUnixTimeSeconds()));
            Assert.That(listed.Status, Is.EqualTo("Success"));
            Assert.That(listed.StatusProperty, Is.Empty);
            Assert.That(listed.Originators, Is.Empty);
            Assert.That(Account("deposits").Balance("XXBT"), Is.EqualTo(2.12345678m));
        });
    }

    [Test]
    public async Task DepositsStatus_PagesThroughTheHistoryNewestFirst_WithTheCursorKrakenHandsBack()
    {
        var key = KeyOf("depositpages");
        foreach (var amount in new[] { 0.1m, 0.2m, 0.3m, 0.4m })
        {
            _kraken.Accounts.Deposit(key, "XBT", amount);
        }
        var expected = Account("depositpages").Deposits.Where(d => d.Asset == "XXBT").Select(d => d.RefId).Reverse().ToList();

        var pages = new List<GetDepositsStatusResponse>
        {
            await Funding.GetDepositsStatusAsync(new GetDepositsStatusRequest { Asset = "XBT", Paginate = true, Limit = 2 }, As("depositpages")),
        };
        while (pages[^1].NextCursor.Length > 0 && pages.Count < 10)
        {
            pages.Add(await Funding.GetDepositsStatusAsync(
                new GetDepositsStatusRequest { Asset = "XBT", NextCursor = pages[^1].NextCursor, Limit = 2 }, As("depositpages")));
        }

        Assert.Multiple(() =>
        {
            Assert.That(expected, Has.Count.EqualTo(5), "the starting balance and four deposits");
            Assert.That(pages.Select(p => p.Deposits.Count), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(pages.SelectMany(p => p.Deposits).Select(d => d.ReferenceId), Is.EqualTo(expected));
            Assert.That(pages.SelectMany(p => p.Deposits).Select(d => d.Amount),
                Is.EqualTo(new[] { "0.40000000", "0.30000000", "0.20000000", "0.10000000", "2.00000000" }));
            Assert.That(pages[^1].NextCursor, Is.Empty, "the last page has no next cursor");
        });
    }

    [Test]
    public async Task DepositsStatus_FiltersByMethod_AndByATimeWindowThatIncludesItsBounds()
    {
        var key = KeyOf("depositwindow");
        var lightning = _kraken.Accounts.Deposit(key, "XBT", 0.005m, "Bitcoin Lightning");
        var time = Account("depositwindow").Deposits.Single(d => d.RefId == lightning).Time;
        var second = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds()));
        var account = As("depositwindow");

        var byMethod = await Funding.GetDepositsStatusAsync(new GetDepositsStatusRequest { Method = "Bitcoin Lightning" }, account);
        var exactSecond = await Funding.GetDepositsStatusAsync(new GetDepositsStatusRequest { Asset = "XBT", Start = second, End = second }, account);
        // A bound inside the second is widened to whole seconds, never narrowed.
        var withinTheSecond = await Funding.GetDepositsStatusAsync(new GetDepositsStatusRequest
        {
            Asset = "XBT", Start = new Timestamp { Seconds = second.Seconds, Nanos = 999_000_000 }, End = new Timestamp { Seconds = second.Seconds, Nanos = 999_000_000 },
        }, account);
        var after = await Funding.GetDepositsStatusAsync(new GetDepositsStatusRequest { Asset = "XBT", Start = new Timestamp { Seconds = second.Seconds + 1 } }, account);
        var before = await Funding.GetDepositsStatusAsync(new GetDepositsStatusRequest { Method = "Bitcoin Lightning", End = new Timestamp { Seconds = second.Seconds - 1 } }, account);

        var listed = byMethod.Deposits.Single();
        Assert.Multiple(() =>
        {
            Assert.That(listed.ReferenceId, Is.EqualTo(lightning));
            Assert.That(listed.Method, Is.EqualTo("Bitcoin Lightning"));
            Assert.That(listed.Amount, Is.EqualTo("0.00500000"));
            Assert.That(listed.Fee, Is.EqualTo("0.0000000000"));
            Assert.That(exactSecond.Deposits.Select(d => d.ReferenceId), Does.Contain(lightning));
            Assert.That(withinTheSecond.Deposits.Select(d => d.ReferenceId), Does.Contain(lightning));
            Assert.That(after.Deposits, Is.Empty);
            Assert.That(before.Deposits, Is.Empty);
        });
    }

    [Test]
    public void DepositsStatusWithTheEndBeforeTheStart_IsRefusedBeforeKraken()
    {
        var sent = _kraken.Requests.Count("/0/private/DepositStatus");

        var failure = Assert.ThrowsAsync<RpcException>(async () => await Funding.GetDepositsStatusAsync(
            new GetDepositsStatusRequest { Start = new Timestamp { Seconds = 1_700_000_001 }, End = new Timestamp { Seconds = 1_700_000_000 } }, As("depositwindow")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "end" }));
            Assert.That(_kraken.Requests.Count("/0/private/DepositStatus"), Is.EqualTo(sent));
        });
    }

    // =============================================================================================================
    // Withdrawals
    // =============================================================================================================

    [Test]
    public async Task WithdrawalMethods_ListTheAssetsMethodsAndNetworks_WithPlainMinimums()
    {
        var xbt = await Funding.GetWithdrawalMethodsAsync(new GetWithdrawalMethodsRequest { Asset = "XBT" }, As("withdrawinfo"));
        var lightning = await Funding.GetWithdrawalMethodsAsync(new GetWithdrawalMethodsRequest { Network = "Lightning" }, As("withdrawinfo"));

        Assert.Multiple(() =>
        {
            Assert.That(xbt.Methods.Select(m => (m.Asset, m.Method, m.Network, m.Minimum)), Is.EqualTo(new[]
            {
                ("XXBT", "Bitcoin", "Bitcoin", "0.0004"),
                ("XXBT", "Bitcoin Lightning", "Lightning", "0.00001"),
            }));
            Assert.That(lightning.Methods.Select(m => m.Method), Is.EqualTo(new[] { "Bitcoin Lightning" }));
        });
    }

    [Test]
    public async Task WithdrawalAddresses_ListTheSavedKeys_FilteredByAssetAndVerification()
    {
        var all = await Funding.GetWithdrawalAddressesAsync(new GetWithdrawalAddressesRequest(), As("withdrawinfo"));
        var unverified = await Funding.GetWithdrawalAddressesAsync(new GetWithdrawalAddressesRequest { Verified = false }, As("withdrawinfo"));
        var xbt = await Funding.GetWithdrawalAddressesAsync(new GetWithdrawalAddressesRequest { Asset = "XBT" }, As("withdrawinfo"));

        Assert.Multiple(() =>
        {
            Assert.That(all.Addresses.Select(a => (a.Address, a.Asset, a.Method, a.WithdrawalKey, a.Tag, a.Verified)), Is.EqualTo(new[]
            {
                (BtcAddress, "XBT", "Bitcoin", XbtKey, string.Empty, true),
                (EthAddress, "ETH", "Ether", EthKey, string.Empty, false),
            }));
            Assert.That(unverified.Addresses.Select(a => a.WithdrawalKey), Is.EqualTo(new[] { EthKey }));
            Assert.That(xbt.Addresses.Select(a => a.WithdrawalKey), Is.EqualTo(new[] { XbtKey }));
        });
    }

    [Test]
    public async Task WithdrawalInfo_QuotesTheFeeTheNetAmountAndTheLimit_AndMovesNothing()
    {
        var before = Account("withdrawinfo");

        var bitcoin = await Funding.GetWithdrawalInfoAsync(new GetWithdrawalInfoRequest { Asset = "XBT", Key = XbtKey, Amount = "0.5" }, As("withdrawinfo"));
        var ether = await Funding.GetWithdrawalInfoAsync(new GetWithdrawalInfoRequest { Asset = "ETH", Key = EthKey, Amount = "1.25" }, As("withdrawinfo"));

        var after = Account("withdrawinfo");
        Assert.Multiple(() =>
        {
            Assert.That(bitcoin.Method, Is.EqualTo("Bitcoin"));
            Assert.That(bitcoin.NetAmount, Is.EqualTo("0.49980000"));
            Assert.That(bitcoin.Fee, Is.EqualTo("0.00020000"));
            Assert.That(bitcoin.Limit, Is.EqualTo(Fixed(before.Available("XXBT") - BitcoinWithdrawalFee, 8)));
            Assert.That(bitcoin.Limit, Is.EqualTo("1.99980000"));

            Assert.That(ether.Method, Is.EqualTo("Ether"));
            Assert.That(ether.NetAmount, Is.EqualTo("1.2485000000"));
            Assert.That(ether.Fee, Is.EqualTo("0.0015000000"));
            Assert.That(ether.Limit, Is.EqualTo(Fixed(before.Available("XETH") - EtherWithdrawalFee, 10)));

            Assert.That(after.Balances, Is.EqualTo(before.Balances));
            Assert.That(after.Withdrawals, Is.Empty);
            Assert.That(after.Ledger, Has.Count.EqualTo(before.Ledger.Count));
        });
    }

    [Test]
    public async Task SubmitWithdrawal_TakesTheWholeAmountFromTheBalance_IsListedPending_ThenSettles()
    {
        var account = As("withdraw");

        var submitted = await Funding.SubmitWithdrawalAsync(
            new SubmitWithdrawalRequest { Asset = "XBT", Key = XbtKey, Amount = "0.5", Address = BtcAddress, MaxFee = "0.0002" }, account);
        var pending = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest { Asset = "XBT" }, account);

        var snapshot = Account("withdraw");
        var withdrawal = snapshot.Withdrawals.Single();
        var ledger = snapshot.Ledger.Single(l => l.RefId == submitted.ReferenceId);
        var listed = pending.Withdrawals.Single();
        Assert.Multiple(() =>
        {
            Assert.That(submitted.ReferenceId, Is.EqualTo(withdrawal.RefId));
            Assert.That(snapshot.Balance("XXBT"), Is.EqualTo(1.5m), "the amount asked for leaves the balance, fee included");
            Assert.That(ledger.Type, Is.EqualTo("withdrawal"));
            Assert.That(ledger.Amount, Is.EqualTo(-0.4998m));
            Assert.That(ledger.Fee, Is.EqualTo(BitcoinWithdrawalFee));
            Assert.That(withdrawal.Status, Is.EqualTo("Pending"));

            Assert.That(listed.ReferenceId, Is.EqualTo(submitted.ReferenceId));
            Assert.That(listed.Method, Is.EqualTo("Bitcoin"));
            Assert.That(listed.AssetClass, Is.EqualTo("currency"));
            Assert.That(listed.Asset, Is.EqualTo("XXBT"));
            Assert.That(listed.Info, Is.EqualTo(BtcAddress));
            Assert.That(listed.TransactionId, Is.Not.Empty);
            Assert.That(listed.Amount, Is.EqualTo("0.49980000"));
            Assert.That(listed.Fee, Is.EqualTo("0.00020000"));
            Assert.That(listed.Time.Seconds, Is.EqualTo(withdrawal.Time.ToUnixTimeSeconds()));
            Assert.That(listed.Status, Is.EqualTo("Pending"));
            Assert.That(listed.StatusProperty, Is.Empty);
            Assert.That(listed.WithdrawalKey, Is.EqualTo(XbtKey));
        });

        var settled = await WaitForAsync(
            () => Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest { Asset = "XBT" }, account).ResponseAsync,
            r => r.Withdrawals.Single().Status != "Pending", "the withdrawal settles");

        var tooLate = Assert.ThrowsAsync<RpcException>(async () =>
            await Funding.CancelWithdrawalAsync(new CancelWithdrawalRequest { Asset = "XBT", Refid = submitted.ReferenceId }, account))!;
        Assert.Multiple(() =>
        {
            Assert.That(settled.Withdrawals.Single().Status, Is.EqualTo("Success"));
            Assert.That(settled.Withdrawals.Single().Amount, Is.EqualTo("0.49980000"));
            Assert.That(Account("withdraw").Withdrawals.Single().Status, Is.EqualTo("Success"));
            Assert.That(tooLate.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition), "a settled withdrawal cannot be cancelled");
            Assert.That(Account("withdraw").Balance("XXBT"), Is.EqualTo(1.5m));
        });
    }

    [Test]
    public async Task WithdrawalsStatus_PagesNewestFirst_AndExcludesItsTimeBounds()
    {
        var account = As("withdrawpages");
        var refids = new List<string>();
        foreach (var amount in new[] { "0.1", "0.2", "0.3" })
        {
            refids.Add((await Funding.SubmitWithdrawalAsync(new SubmitWithdrawalRequest { Asset = "XBT", Key = XbtKey, Amount = amount }, account)).ReferenceId);
        }
        var times = Account("withdrawpages").Withdrawals.Select(w => w.Time.ToUnixTimeSeconds()).ToList();

        var first = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest { Paginate = true, Limit = 2 }, account);
        var second = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest { NextCursor = first.NextCursor, Limit = 2 }, account);
        var around = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest
        {
            Start = new Timestamp { Seconds = times.Min() - 1 }, End = new Timestamp { Seconds = times.Max() + 1 },
        }, account);
        var fromTheFirstSecond = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest
        {
            Start = new Timestamp { Seconds = times.Max() }, End = new Timestamp { Seconds = times.Max() + 10 },
        }, account);

        Assert.Multiple(() =>
        {
            Assert.That(first.Withdrawals.Select(w => w.ReferenceId), Is.EqualTo(new[] { refids[2], refids[1] }));
            Assert.That(first.Withdrawals.Select(w => w.Amount), Is.EqualTo(new[] { "0.29980000", "0.19980000" }));
            Assert.That(first.NextCursor, Is.Not.Empty);
            Assert.That(second.Withdrawals.Select(w => w.ReferenceId), Is.EqualTo(new[] { refids[0] }));
            Assert.That(second.NextCursor, Is.Empty);
            Assert.That(around.Withdrawals.Select(w => w.ReferenceId), Is.EqualTo(Enumerable.Reverse(refids)));
            Assert.That(around.NextCursor, Is.Empty, "no pagination was asked for");
            // Kraken excludes the bounds: the start second itself is left out.
            Assert.That(fromTheFirstSecond.Withdrawals, Is.Empty);
            Assert.That(Account("withdrawpages").Balance("XXBT"), Is.EqualTo(1.4m));
        });
    }

    [Test]
    public async Task CancelWithdrawal_WhilePending_GivesTheMoneyBack_AndTheWithdrawalEndsCanceled()
    {
        var account = As("cancel");
        var submitted = await Funding.SubmitWithdrawalAsync(new SubmitWithdrawalRequest { Asset = "XBT", Key = XbtKey, Amount = "0.75" }, account);
        var whilePending = Account("cancel").Balance("XXBT");

        var cancelled = await Funding.CancelWithdrawalAsync(new CancelWithdrawalRequest { Asset = "XBT", Refid = submitted.ReferenceId }, account);
        var listed = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest(), account);

        Assert.Multiple(() =>
        {
            Assert.That(whilePending, Is.EqualTo(1.25m));
            Assert.That(cancelled.CancellationRequested, Is.True);
            Assert.That(Account("cancel").Balance("XXBT"), Is.EqualTo(2m), "the whole amount, fee included, came back");
            Assert.That(Account("cancel").Withdrawals.Single().Status, Is.EqualTo("Failure"));
            Assert.That(Account("cancel").Withdrawals.Single().StatusProp, Is.EqualTo("canceled"));
            Assert.That(listed.Withdrawals.Single().ReferenceId, Is.EqualTo(submitted.ReferenceId));
            Assert.That(listed.Withdrawals.Single().Status, Is.EqualTo("Failure"));
            Assert.That(listed.Withdrawals.Single().StatusProperty, Is.EqualTo("canceled"));
        });

        // Past the time it would have settled, it stays cancelled and the money stays.
        await Task.Delay(OperationTime + TimeSpan.FromMilliseconds(500));
        var later = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest(), account);
        Assert.Multiple(() =>
        {
            Assert.That(later.Withdrawals.Single().Status, Is.EqualTo("Failure"));
            Assert.That(Account("cancel").Balance("XXBT"), Is.EqualTo(2m));
        });
    }

    [Test]
    public void CancellingAWithdrawalThatDoesNotExist_IsAnInvalidArgument()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await Funding.CancelWithdrawalAsync(
            new CancelWithdrawalRequest { Asset = "XBT", Refid = "FTQcuak-V6Za8qrWnhzTx67yYHz8Tg" }, As("refusals")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Does.StartWith("EGeneral:Invalid arguments"));
            Assert.That(Account("refusals").Balance("XXBT"), Is.EqualTo(2m));
        });
    }

    [Test]
    public async Task WithdrawalsKrakenRefuses_MapToTheirStatus_AndLeaveTheBalanceAlone()
    {
        var account = As("refusals");
        var before = Account("refusals");

        async Task<RpcException> Refused(SubmitWithdrawalRequest request)
        {
            try
            {
                await Funding.SubmitWithdrawalAsync(request, account);
            }
            catch (RpcException e)
            {
                return e;
            }
            Assert.Fail($"Kraken accepted {request}");
            return null!;
        }

        var unknownKey = await Refused(new SubmitWithdrawalRequest { Asset = "XBT", Key = "nobody", Amount = "0.5" });
        var belowMinimum = await Refused(new SubmitWithdrawalRequest { Asset = "XBT", Key = XbtKey, Amount = "0.0003" });
        var fee = await Refused(new SubmitWithdrawalRequest { Asset = "XBT", Key = XbtKey, Amount = "0.5", MaxFee = "0.0001" });
        var funds = await Refused(new SubmitWithdrawalRequest { Asset = "XBT", Key = XbtKey, Amount = "2.00000001" });

        Assert.Multiple(() =>
        {
            Assert.That((unknownKey.StatusCode, unknownKey.ErrorInfo().Reason), Is.EqualTo((StatusCode.NotFound, "UNKNOWN_WITHDRAW_KEY")));
            Assert.That((belowMinimum.StatusCode, belowMinimum.ErrorInfo().Reason), Is.EqualTo((StatusCode.InvalidArgument, "INVALID_AMOUNT")));
            Assert.That((fee.StatusCode, fee.ErrorInfo().Reason), Is.EqualTo((StatusCode.FailedPrecondition, "MAX_FEE_EXCEEDED")));
            Assert.That((funds.StatusCode, funds.ErrorInfo().Reason), Is.EqualTo((StatusCode.FailedPrecondition, "INSUFFICIENT_FUNDS")));
            Assert.That(funds.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EFunding:Insufficient funds"));
            Assert.That(Account("refusals").Balances, Is.EqualTo(before.Balances));
            Assert.That(Account("refusals").Withdrawals, Is.Empty);
        });
    }

    [Test]
    public async Task SubmitTransferToFutures_TakesTheAmountAtOnce_AndIsListedAsAWithdrawalToTheFuturesWallet()
    {
        var account = As("futures");

        var transfer = await Funding.SubmitTransferToFuturesAsync(
            new SubmitTransferToFuturesRequest { Asset = "XBT", From = "Spot Wallet", To = "Futures Wallet", Amount = "0.25" }, account);
        var listed = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest { Asset = "XBT" }, account);

        var snapshot = Account("futures");
        var recorded = snapshot.WalletTransfers.Single();
        var entry = listed.Withdrawals.Single();
        Assert.Multiple(() =>
        {
            Assert.That(transfer.ReferenceId, Is.EqualTo(recorded.RefId));
            Assert.That(snapshot.Balance("XXBT"), Is.EqualTo(1.75m));
            Assert.That(snapshot.Withdrawals, Is.Empty, "a transfer is not a withdrawal to a key");
            Assert.That(recorded.Amount, Is.EqualTo(0.25m));
            Assert.That(recorded.Fee, Is.Zero);
            Assert.That(snapshot.Ledger.Single(l => l.RefId == transfer.ReferenceId).Amount, Is.EqualTo(-0.25m));

            Assert.That(entry.ReferenceId, Is.EqualTo(transfer.ReferenceId));
            Assert.That(entry.Method, Is.EqualTo("Futures Wallet"));
            Assert.That(entry.Info, Is.EqualTo("Futures Wallet"));
            Assert.That(entry.Asset, Is.EqualTo("XXBT"));
            Assert.That(entry.Amount, Is.EqualTo("0.25000000"));
            Assert.That(entry.Fee, Is.EqualTo("0.00000000"));
            Assert.That(entry.WithdrawalKey, Is.Empty);
            Assert.That(entry.Status, Is.EqualTo("Pending"));
        });

        var settled = await WaitForAsync(
            () => Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest { Asset = "XBT" }, account).ResponseAsync,
            r => r.Withdrawals.Single().Status != "Pending", "the transfer settles");
        Assert.Multiple(() =>
        {
            Assert.That(settled.Withdrawals.Single().Status, Is.EqualTo("Success"));
            Assert.That(Account("futures").Balance("XXBT"), Is.EqualTo(1.75m));
        });
    }

    [Test]
    public void TransferToAnotherWalletThanFutures_IsRefusedByKraken_AndMovesNothing()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await Funding.SubmitTransferToFuturesAsync(
            new SubmitTransferToFuturesRequest { Asset = "XBT", From = "Spot Wallet", To = "Margin Wallet", Amount = "0.25" }, As("refusals")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Does.StartWith("EGeneral:Invalid arguments"));
            Assert.That(Account("refusals").WalletTransfers, Is.Empty);
            Assert.That(Account("refusals").Balance("XXBT"), Is.EqualTo(2m));
        });
    }

    // =============================================================================================================
    // Earn
    // =============================================================================================================

    [Test]
    public async Task EarnStrategies_DescribeEachLockTypeWithItsParameters()
    {
        var dot = await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest { Asset = "DOT" }, As("strategies"));
        var all = await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest(), As("strategies"));

        Assert.That(dot.Strategies.Select(s => s.Id), Is.EqualTo(new[] { DotBonded, DotInstant }), "sorted by id, descending by default");
        var bonded = dot.Strategies[0];
        var instant = dot.Strategies[1];
        var usdt = all.Strategies.Single(s => s.Asset == "USDT");
        var xbt = all.Strategies.Single(s => s.Asset == "XBT");
        Assert.Multiple(() =>
        {
            Assert.That(dot.NextCursor, Is.Empty);
            Assert.That(instant.Asset, Is.EqualTo("DOT"));
            Assert.That(instant.LockType.Type, Is.EqualTo(EarnLockType.Instant));
            Assert.That(instant.LockType.Instant.PayoutFrequency, Is.EqualTo(Duration.FromTimeSpan(TimeSpan.FromDays(7))));
            Assert.That(instant.AprEstimate.Low, Is.EqualTo("8.0000"));
            Assert.That(instant.AprEstimate.High, Is.EqualTo("12.0000"));
            Assert.That(instant.UserMinAllocation, Is.EqualTo("0.01"));
            Assert.That(instant.UserCap, Is.Empty, "no cap");
            Assert.That(instant.AllocationFee, Is.EqualTo("0.0000"));
            Assert.That(instant.DeallocationFee, Is.EqualTo("0.0000"));
            Assert.That(instant.AutoCompound.Type, Is.EqualTo(EarnAutoCompoundType.Enabled));
            Assert.That(instant.AutoCompound.DefaultEnabled, Is.False);
            Assert.That(instant.YieldSource.Type, Is.EqualTo(EarnYieldSourceType.Staking));
            Assert.That(instant.CanAllocate, Is.True);
            Assert.That(instant.CanDeallocate, Is.True);
            Assert.That(instant.AllocationRestrictions, Is.Empty);

            Assert.That(bonded.LockType.Type, Is.EqualTo(EarnLockType.Bonded));
            Assert.That(bonded.LockType.ParametersCase, Is.EqualTo(EarnStrategyLock.ParametersOneofCase.Bonded));
            Assert.That(bonded.LockType.Bonded.BondingPeriod, Is.EqualTo(new Duration()));
            Assert.That(bonded.LockType.Bonded.UnbondingPeriod, Is.EqualTo(Duration.FromTimeSpan(TimeSpan.FromDays(28))));
            Assert.That(bonded.LockType.Bonded.ExitQueuePeriod, Is.EqualTo(new Duration()));
            Assert.That(bonded.LockType.Bonded.PayoutFrequency, Is.EqualTo(Duration.FromTimeSpan(TimeSpan.FromDays(7))));
            Assert.That(bonded.LockType.Bonded.BondingPeriodVariable, Is.False);
            Assert.That(bonded.LockType.Bonded.UnbondingPeriodVariable, Is.False);
            Assert.That(bonded.AprEstimate.Low, Is.EqualTo("12.0000"));
            Assert.That(bonded.AprEstimate.High, Is.EqualTo("15.0000"));
            Assert.That(bonded.UserMinAllocation, Is.EqualTo("1"));

            Assert.That(usdt.LockType.Type, Is.EqualTo(EarnLockType.Flex));
            Assert.That(usdt.LockType.ParametersCase, Is.EqualTo(EarnStrategyLock.ParametersOneofCase.None), "flex has no parameters");
            Assert.That(usdt.UserCap, Is.EqualTo("100000"));
            Assert.That(usdt.YieldSource.Type, Is.EqualTo(EarnYieldSourceType.OffChain));
            Assert.That(xbt.AutoCompound.Type, Is.EqualTo(EarnAutoCompoundType.Optional));

            Assert.That(all.Strategies, Has.Count.EqualTo(10));
            Assert.That(all.Strategies.Select(s => s.Id), Is.Ordered.Descending.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(all.Strategies.Select(s => s.LockType.Type), Has.None.EqualTo(EarnLockType.Unspecified));
        });
    }

    [Test]
    public async Task EarnStrategies_FilterByLockType_SortAscending_AndPageWithKrakensCursor()
    {
        var account = As("strategies");
        var all = (await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest(), account)).Strategies.Select(s => s.Id).ToList();

        var instant = await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest { LockType = { EarnLockType.Instant } }, account);
        var instantOrBonded = await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest { LockType = { EarnLockType.Bonded, EarnLockType.Instant } }, account);
        var ascending = await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest { Asset = "DOT", Ascending = true }, account);
        var pages = new List<GetEarnStrategiesResponse> { await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest { Limit = 4 }, account) };
        while (pages[^1].NextCursor.Length > 0 && pages.Count < 10)
        {
            pages.Add(await Funding.GetEarnStrategiesAsync(new GetEarnStrategiesRequest { Limit = 4, Cursor = pages[^1].NextCursor }, account));
        }

        Assert.Multiple(() =>
        {
            Assert.That(instant.Strategies.Select(s => s.Id), Is.EqualTo(new[] { DotInstant, "ESPLGZC-FLYPX-WXL4YU" }));
            Assert.That(instant.Strategies.Select(s => s.LockType.Type), Is.All.EqualTo(EarnLockType.Instant));
            Assert.That(instantOrBonded.Strategies.Select(s => s.Id), Is.EquivalentTo(new[]
            {
                DotInstant, DotBonded, "ESDQCOL-WTZEU-NU55QF", "ESPLGZC-FLYPX-WXL4YU", "ES6YGO2-SPL2J-TNUH3W",
            }));
            Assert.That(ascending.Strategies.Select(s => s.Id), Is.EqualTo(new[] { DotInstant, DotBonded }));
            Assert.That(pages.Select(p => p.Strategies.Count), Is.EqualTo(new[] { 4, 4, 2 }));
            Assert.That(pages.Select(p => p.NextCursor), Is.EqualTo(new[] { "2", "3", string.Empty }));
            Assert.That(pages.SelectMany(p => p.Strategies).Select(s => s.Id), Is.EqualTo(all));
        });
    }

    [Test]
    public async Task EarnAllocation_IsPendingThenDone_ShowsInAllocations_AndDeallocationBringsTheFundsBack()
    {
        var account = As("earn");
        var price = _kraken.Market.LastPrice("DOTUSD");

        var allocated = await Funding.AllocateEarnFundsAsync(new AllocateEarnFundsRequest { StrategyId = DotInstant, Amount = "100.5" }, account);
        var pendingStatus = await Funding.GetEarnAllocationStatusAsync(new GetEarnAllocationStatusRequest { StrategyId = DotInstant }, account);
        var pendingSnapshot = Account("earn");
        var busy = Assert.ThrowsAsync<RpcException>(async () =>
            await Funding.AllocateEarnFundsAsync(new AllocateEarnFundsRequest { StrategyId = DotInstant, Amount = "1" }, account))!;

        Assert.Multiple(() =>
        {
            Assert.That(allocated.Accepted, Is.True);
            Assert.That(pendingStatus.Pending, Is.True);
            Assert.That(pendingSnapshot.EarnAllocations.Single().AllocationPending, Is.True);
            Assert.That(pendingSnapshot.Balance("DOT"), Is.EqualTo(1000m), "nothing moves before the allocation completes");
            Assert.That(busy.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(busy.ErrorInfo().Reason, Is.EqualTo("EARN_OPERATION_IN_PROGRESS"));
        });

        await WaitForAsync(
            () => Funding.GetEarnAllocationStatusAsync(new GetEarnAllocationStatusRequest { StrategyId = DotInstant }, account).ResponseAsync,
            s => !s.Pending, "the allocation completes");
        var allocations = await Funding.GetEarnAllocationsAsync(new GetEarnAllocationsRequest { ConvertedAsset = "USD" }, account);

        var position = Account("earn").EarnAllocations.Single();
        var item = allocations.Allocations.Single();
        var converted = Fixed(decimal.Round(100.5m * price, 4, MidpointRounding.AwayFromZero), 4);
        Assert.Multiple(() =>
        {
            Assert.That(Account("earn").Balance("DOT"), Is.EqualTo(899.5m));
            Assert.That(position.StrategyId, Is.EqualTo(DotInstant));
            Assert.That(position.Total, Is.EqualTo(100.5m));
            Assert.That(position.AllocationPending, Is.False);
            Assert.That(position.LastError, Is.Null);

            Assert.That(allocations.ConvertedAsset, Is.EqualTo("USD"));
            Assert.That(allocations.TotalAllocated, Is.EqualTo(converted));
            Assert.That(allocations.TotalRewarded, Is.EqualTo("0.0000"));
            Assert.That(allocations.NextCursor, Is.Empty);
            Assert.That(item.StrategyId, Is.EqualTo(DotInstant));
            Assert.That(item.NativeAsset, Is.EqualTo("DOT"));
            Assert.That(item.AmountAllocated.Total.Native, Is.EqualTo("100.5000000000"));
            Assert.That(item.AmountAllocated.Total.Converted, Is.EqualTo(converted));
            Assert.That(item.AmountAllocated.Bonding, Is.Null, "an instant strategy does not bond");
            Assert.That(item.AmountAllocated.Unbonding, Is.Null);
            Assert.That(item.AmountAllocated.Pending, Is.Null);
            Assert.That(item.TotalRewarded.Native, Is.EqualTo("0"));
            Assert.That(item.TotalRewarded.Converted, Is.EqualTo("0.0000"));
            Assert.That(item.Payout, Is.Null);
        });

        var deallocated = await Funding.DeallocateEarnFundsAsync(new DeallocateEarnFundsRequest { StrategyId = DotInstant, Amount = "40.25" }, account);
        var deallocating = await Funding.GetEarnDeallocationStatusAsync(new GetEarnDeallocationStatusRequest { StrategyId = DotInstant }, account);
        Assert.Multiple(() =>
        {
            Assert.That(deallocated.Accepted, Is.True);
            Assert.That(deallocating.Pending, Is.True);
            Assert.That(Account("earn").EarnAllocations.Single().DeallocationPending, Is.True);
        });

        await WaitForAsync(
            () => Funding.GetEarnDeallocationStatusAsync(new GetEarnDeallocationStatusRequest { StrategyId = DotInstant }, account).ResponseAsync,
            s => !s.Pending, "the deallocation completes");
        var remaining = await Funding.GetEarnAllocationsAsync(new GetEarnAllocationsRequest { HideZeroAllocations = true }, account);
        var allocationStatus = await Funding.GetEarnAllocationStatusAsync(new GetEarnAllocationStatusRequest { StrategyId = DotInstant }, account);

        Assert.Multiple(() =>
        {
            Assert.That(Account("earn").Balance("DOT"), Is.EqualTo(939.75m), "an instant strategy returns funds without unbonding");
            Assert.That(Account("earn").EarnAllocations.Single().Total, Is.EqualTo(60.25m));
            Assert.That(remaining.ConvertedAsset, Is.EqualTo("USD"), "Kraken's default");
            Assert.That(remaining.Allocations.Single().AmountAllocated.Total.Native, Is.EqualTo("60.2500000000"));
            Assert.That(remaining.Allocations.Single().AmountAllocated.Total.Converted,
                Is.EqualTo(Fixed(decimal.Round(60.25m * price, 4, MidpointRounding.AwayFromZero), 4)));
            Assert.That(allocationStatus.Pending, Is.False);
        });
    }

    [Test]
    public async Task BondedEarnAllocations_ShowTheirBondingAndUnbondingLots_WithTheLotsTimesAndAmounts()
    {
        const string EthBonded = "ESDQCOL-WTZEU-NU55QF";
        var account = As("bonded");
        var ethPrice = _kraken.Market.LastPrice("ETHUSD");
        var dotPrice = _kraken.Market.LastPrice("DOTUSD");

        await Funding.AllocateEarnFundsAsync(new AllocateEarnFundsRequest { StrategyId = EthBonded, Amount = "0.5" }, account);
        await Funding.AllocateEarnFundsAsync(new AllocateEarnFundsRequest { StrategyId = DotBonded, Amount = "5" }, account);
        await WaitUntilAsync(() => Account("bonded").EarnAllocations.All(a => !a.AllocationPending), "both allocations complete");
        await Funding.DeallocateEarnFundsAsync(new DeallocateEarnFundsRequest { StrategyId = DotBonded, Amount = "2" }, account);
        await WaitForAsync(
            () => Funding.GetEarnDeallocationStatusAsync(new GetEarnDeallocationStatusRequest { StrategyId = DotBonded }, account).ResponseAsync,
            s => !s.Pending, "the deallocation completes");

        var allocations = await Funding.GetEarnAllocationsAsync(new GetEarnAllocationsRequest { Ascending = true }, account);

        var snapshot = Account("bonded");
        Assert.That(allocations.Allocations.Select(a => a.StrategyId), Is.EqualTo(new[] { EthBonded, DotBonded }), "ascending by first allocation");
        var eth = allocations.Allocations[0].AmountAllocated;
        var dot = allocations.Allocations[1].AmountAllocated;
        var bondingLot = eth.Bonding.Allocations.Single();
        var unbondingLot = dot.Unbonding.Allocations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Balance("XETH"), Is.EqualTo(9.5m));
            Assert.That(snapshot.Balance("DOT"), Is.EqualTo(995m), "unbonding funds are not back yet");
            Assert.That(snapshot.EarnAllocations.Single(a => a.StrategyId == EthBonded).Bonding, Is.EqualTo(0.5m));
            Assert.That(snapshot.EarnAllocations.Single(a => a.StrategyId == DotBonded).Unbonding, Is.EqualTo(2m));

            Assert.That(allocations.Allocations[0].NativeAsset, Is.EqualTo("ETH"));
            Assert.That(eth.Total.Native, Is.EqualTo("0.5000000000"));
            Assert.That(eth.Bonding.Native, Is.EqualTo("0.5000000000"));
            Assert.That(eth.Bonding.Converted, Is.EqualTo(Fixed(decimal.Round(0.5m * ethPrice, 4, MidpointRounding.AwayFromZero), 4)));
            Assert.That(eth.Bonding.AllocationCount, Is.EqualTo(1));
            Assert.That(bondingLot.Native, Is.EqualTo("0.5000000000"));
            Assert.That(bondingLot.Converted, Is.EqualTo(eth.Bonding.Converted));
            Assert.That(bondingLot.CreateTime, Is.Not.Null);
            Assert.That(bondingLot.ExpireTime.ToDateTimeOffset() - bondingLot.CreateTime.ToDateTimeOffset(),
                Is.GreaterThanOrEqualTo(TimeSpan.FromDays(14)).And.LessThan(TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1)), "the 14-day bonding period");
            Assert.That(eth.Unbonding, Is.Null);

            Assert.That(allocations.Allocations[1].NativeAsset, Is.EqualTo("DOT"));
            Assert.That(dot.Total.Native, Is.EqualTo("5.0000000000"), "unbonding funds still count in the total");
            Assert.That(dot.Total.Converted, Is.EqualTo(Fixed(decimal.Round(5m * dotPrice, 4, MidpointRounding.AwayFromZero), 4)));
            Assert.That(dot.Bonding, Is.Null, "no bonding period");
            Assert.That(dot.Unbonding.Native, Is.EqualTo("2.0000000000"));
            Assert.That(dot.Unbonding.AllocationCount, Is.EqualTo(1));
            Assert.That(unbondingLot.Native, Is.EqualTo("2.0000000000"));
            Assert.That(unbondingLot.Converted, Is.EqualTo(Fixed(decimal.Round(2m * dotPrice, 4, MidpointRounding.AwayFromZero), 4)));
            Assert.That(unbondingLot.ExpireTime.ToDateTimeOffset() - unbondingLot.CreateTime.ToDateTimeOffset(),
                Is.GreaterThanOrEqualTo(TimeSpan.FromDays(28)).And.LessThan(TimeSpan.FromDays(28) + TimeSpan.FromSeconds(1)), "the 28-day unbonding period");
            Assert.That(allocations.TotalAllocated, Is.EqualTo(Fixed(
                decimal.Round((0.5m * ethPrice) + (5m * dotPrice), 4, MidpointRounding.AwayFromZero), 4)));
        });
    }

    [Test]
    public async Task EarnAllocationBeyondTheBalance_IsAccepted_ThenItsStatusReportsInsufficientFunds_AndNothingMoves()
    {
        var account = As("earnfails");

        var accepted = await Funding.AllocateEarnFundsAsync(new AllocateEarnFundsRequest { StrategyId = DotInstant, Amount = "1000.0000000001" }, account);
        await WaitUntilAsync(() => !Account("earnfails").EarnAllocations.Single().AllocationPending, "the allocation is processed");

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await Funding.GetEarnAllocationStatusAsync(new GetEarnAllocationStatusRequest { StrategyId = DotInstant }, account))!;
        Assert.Multiple(() =>
        {
            Assert.That(accepted.Accepted, Is.True);
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("INSUFFICIENT_FUNDS"));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Does.StartWith("EEarnings:Insufficient funds"));
            Assert.That(Account("earnfails").Balance("DOT"), Is.EqualTo(1000m));
            Assert.That(Account("earnfails").EarnAllocations.Single().Total, Is.Zero);
        });
    }

    [Test]
    public void EarnAllocationToAnUnknownStrategy_IsNotFound()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await Funding.AllocateEarnFundsAsync(
            new AllocateEarnFundsRequest { StrategyId = "ENOPE00-00000-000000", Amount = "1" }, As("earnfails")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("UNKNOWN_EARN_STRATEGY"));
        });
    }

    // =============================================================================================================
    // Lost answers: money movements are never re-sent, reads are
    // =============================================================================================================

    public enum MoneyMove
    {
        Withdrawal,
        TransferToFutures,
        EarnAllocation,
        EarnDeallocation,
    }

    private static string PathOf(MoneyMove move) => move switch
    {
        MoneyMove.Withdrawal => WithdrawPath,
        MoneyMove.TransferToFutures => TransferPath,
        MoneyMove.EarnAllocation => AllocatePath,
        _ => DeallocatePath,
    };

    private static Task MoveAsync(FundingService.FundingServiceClient funding, MoneyMove move, string amount, Metadata account) => move switch
    {
        MoneyMove.Withdrawal => funding.SubmitWithdrawalAsync(new SubmitWithdrawalRequest { Asset = "XBT", Key = XbtKey, Amount = amount }, account).ResponseAsync,
        MoneyMove.TransferToFutures => funding.SubmitTransferToFuturesAsync(
            new SubmitTransferToFuturesRequest { Asset = "XBT", From = "Spot Wallet", To = "Futures Wallet", Amount = amount }, account).ResponseAsync,
        MoneyMove.EarnAllocation => funding.AllocateEarnFundsAsync(new AllocateEarnFundsRequest { StrategyId = DotInstant, Amount = amount }, account).ResponseAsync,
        _ => funding.DeallocateEarnFundsAsync(new DeallocateEarnFundsRequest { StrategyId = DotInstant, Amount = amount }, account).ResponseAsync,
    };

    [Test]
    public void MoneyMovementWhoseAnswerIsAServerError_FailsOutcomeUnknown_AndIsSentExactlyOnce(
        [Values] MoneyMove move, [Values(500, 502)] int status)
    {
        var path = PathOf(move);
        var sent = _kraken.Requests.Count(path);
        var before = Account("lost");
        _kraken.Faults.Inject(path, Fault.Status(status));

        var failure = Assert.ThrowsAsync<RpcException>(() => MoveAsync(Funding, move, "0.5", As("lost")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("OUTCOME_UNKNOWN"));
            Assert.That(failure.ErrorInfo().Metadata["lost_answer"], Is.EqualTo("UPSTREAM_SERVER_ERROR"));
            Assert.That(failure.RetryInfo(), Is.Null, "nothing invites a blind retry");
            Assert.That(_kraken.Requests.Count(path), Is.EqualTo(sent + 1), "a money movement was sent again");
            // This fault answers without doing anything: nothing moved.
            Assert.That(Account("lost").Balances, Is.EqualTo(before.Balances));
            Assert.That(Account("lost").Withdrawals.Concat(Account("lost").WalletTransfers), Is.Empty);
            Assert.That(Account("lost").EarnAllocations.Where(a => a.AllocationPending || a.DeallocationPending), Is.Empty);
        });
    }

    [Test]
    public async Task WithdrawalKrakenCarriedOutButWhoseAnswerWasLost_FailsOutcomeUnknown_AndExistsExactlyOnce()
    {
        _kraken.Faults.Inject(WithdrawPath, Fault.LostAnswer(500));
        var sent = _kraken.Requests.Count(WithdrawPath);

        var failure = Assert.ThrowsAsync<RpcException>(() => MoveAsync(Funding, MoneyMove.Withdrawal, "0.5", As("lostanswer")))!;
        // What the contract tells the caller to do before trying again: look the withdrawal up.
        var listed = await Funding.GetWithdrawalsStatusAsync(new GetWithdrawalsStatusRequest { Asset = "XBT" }, As("lostanswer"));

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(_kraken.Requests.Count(WithdrawPath), Is.EqualTo(sent + 1));
            Assert.That(Account("lostanswer").Withdrawals, Has.Count.EqualTo(1));
            Assert.That(Account("lostanswer").Balance("XXBT"), Is.EqualTo(1.5m), "the money left once");
            Assert.That(listed.Withdrawals.Single().ReferenceId, Is.EqualTo(Account("lostanswer").Withdrawals.Single().RefId));
        });
    }

    [Test]
    public async Task EarnAllocationKrakenAcceptedButWhoseAnswerWasLost_FailsOutcomeUnknown_AndAllocatesExactlyOnce()
    {
        _kraken.Faults.Inject(AllocatePath, Fault.LostAnswer(502));
        var sent = _kraken.Requests.Count(AllocatePath);

        var failure = Assert.ThrowsAsync<RpcException>(() => MoveAsync(Funding, MoneyMove.EarnAllocation, "10", As("lostanswer")))!;
        var status = await Funding.GetEarnAllocationStatusAsync(new GetEarnAllocationStatusRequest { StrategyId = DotInstant }, As("lostanswer"));

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(_kraken.Requests.Count(AllocatePath), Is.EqualTo(sent + 1));
            Assert.That(status.Pending, Is.True, "the status call shows the allocation Kraken accepted");
        });

        await WaitUntilAsync(() => !Account("lostanswer").EarnAllocations.Single().AllocationPending, "the allocation completes");
        Assert.Multiple(() =>
        {
            Assert.That(Account("lostanswer").EarnAllocations.Single().Total, Is.EqualTo(10m));
            Assert.That(Account("lostanswer").Balance("DOT"), Is.EqualTo(990m));
        });
    }

    [TestCase(MoneyMove.Withdrawal)]
    [TestCase(MoneyMove.EarnAllocation)]
    public void MoneyMovementSlowerThanTheRequestTimeout_FailsOutcomeUnknown_AndIsSentExactlyOnce(MoneyMove move)
    {
        var path = PathOf(move);
        _kraken.Faults.Inject(path, Fault.Delay(BeyondTheTimeout));
        var sent = _kraken.Requests.Count(path);
        var watch = Stopwatch.StartNew();

        var failure = Assert.ThrowsAsync<RpcException>(() => MoveAsync(new FundingService.FundingServiceClient(_impatient.Channel), move, "0.5", As("slow")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(failure.ErrorInfo().Metadata["lost_answer"], Is.EqualTo("UPSTREAM_TIMEOUT"));
            Assert.That(watch.Elapsed, Is.LessThan(BeyondTheTimeout), "the gateway gave up after its request timeout");
            Assert.That(_kraken.Requests.Count(path), Is.EqualTo(sent + 1), "a money movement was sent again");
        });
    }

    [TestCase(500)]
    [TestCase(502)]
    public async Task ReadWhoseAnswerIsAServerError_IsRetried_AndSucceeds(int status)
    {
        var sent = _kraken.Requests.Count(DepositMethodsPath);
        _kraken.Faults.Inject(DepositMethodsPath, Fault.Status(status));

        var response = await Funding.GetDepositMethodsAsync(new GetDepositMethodsRequest { Asset = "XBT" }, As("lost"));

        Assert.Multiple(() =>
        {
            Assert.That(response.Methods.Select(m => m.Method), Is.EqualTo(new[] { "Bitcoin", "Bitcoin Lightning" }));
            Assert.That(_kraken.Requests.Count(DepositMethodsPath), Is.EqualTo(sent + 2));
        });
    }

    [Test]
    public async Task ReadSlowerThanTheRequestTimeout_IsRetried_AndSucceeds()
    {
        var sent = _kraken.Requests.Count(DepositMethodsPath);
        _kraken.Faults.Inject(DepositMethodsPath, Fault.Delay(BeyondTheTimeout));

        var response = await new FundingService.FundingServiceClient(_impatient.Channel)
            .GetDepositMethodsAsync(new GetDepositMethodsRequest { Asset = "XBT" }, As("slow"));

        Assert.Multiple(() =>
        {
            Assert.That(response.Methods, Has.Count.EqualTo(2));
            Assert.That(_kraken.Requests.Count(DepositMethodsPath), Is.EqualTo(sent + 2));
        });
    }

    [Test]
    public async Task GeneratingADepositAddressIsNotReSent_WhileListingTheAddressesIs()
    {
        var request = new GetDepositAddressesRequest { Asset = "ETH", Method = "Ether (Hex)" };
        var addressesBefore = (await Funding.GetDepositAddressesAsync(request, As("lost"))).Addresses.Count;

        var sent = _kraken.Requests.Count(DepositAddressesPath);
        _kraken.Faults.Inject(DepositAddressesPath, Fault.Status(500));
        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await Funding.GetDepositAddressesAsync(new GetDepositAddressesRequest(request) { New = true }, As("lost")))!;
        var generateSent = _kraken.Requests.Count(DepositAddressesPath) - sent;

        sent = _kraken.Requests.Count(DepositAddressesPath);
        _kraken.Faults.Inject(DepositAddressesPath, Fault.Status(500));
        var listed = await Funding.GetDepositAddressesAsync(request, As("lost"));
        var listSent = _kraken.Requests.Count(DepositAddressesPath) - sent;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unknown));
            Assert.That(generateSent, Is.EqualTo(1), "generating an address was sent again");
            Assert.That(listSent, Is.EqualTo(2), "listing is a read and is retried");
            Assert.That(listed.Addresses, Has.Count.EqualTo(addressesBefore), "no address was generated");
        });
    }

    // =============================================================================================================
    // Invalid amounts are refused before Kraken
    // =============================================================================================================

    [Test]
    public void InvalidAmount_IsRefusedWithTheFieldAtFault_AndNothingIsSent(
        [Values] MoneyMove move, [Values("-1", "0", "0.000", "1e5", "", " 1", "1.", ".5", "1,5")] string amount)
    {
        var path = PathOf(move);
        var sent = _kraken.Requests.Count(path);

        var failure = Assert.ThrowsAsync<RpcException>(() => MoveAsync(Funding, move, amount, As("invalid")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("INVALID_REQUEST"));
            Assert.That(failure.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "amount" }));
            Assert.That(_kraken.Requests.Count(path), Is.EqualTo(sent), "an invalid amount reached Kraken");
            Assert.That(Account("invalid").Balances["XXBT"], Is.EqualTo(2m));
        });
    }

    [TestCase("-1")]
    [TestCase("0")]
    [TestCase("1e5")]
    public void InvalidWithdrawalQuoteAmount_IsRefusedWithTheFieldAtFault_AndNothingIsSent(string amount)
    {
        var sent = _kraken.Requests.Count("/0/private/WithdrawInfo");

        var failure = Assert.ThrowsAsync<RpcException>(async () => await Funding.GetWithdrawalInfoAsync(
            new GetWithdrawalInfoRequest { Asset = "XBT", Key = XbtKey, Amount = amount }, As("invalid")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "amount" }));
            Assert.That(_kraken.Requests.Count("/0/private/WithdrawInfo"), Is.EqualTo(sent));
        });
    }

    // =============================================================================================================
    // OAuth (Kraken Connect)
    // =============================================================================================================

    private string CodeFor(string account, params string[] scopes) =>
        _kraken.OAuth.IssueAuthorizationCode(OAuthClientId, KeyOf(account), scopes, RedirectUri);

    private static GetOAuthAccessTokenRequest CodeGrant(string code) =>
        new() { AuthorizationCode = new OAuthAuthorizationCodeGrant { Code = code, RedirectUri = RedirectUri } };

    private static GetOAuthAccessTokenRequest RefreshGrant(string refreshToken) =>
        new() { RefreshToken = new OAuthRefreshTokenGrant { RefreshToken = refreshToken } };

    [Test]
    public async Task AuthorizationCode_IsExchangedWithTheGatewaysClientCredentials_AndTheTokenReadsTheUsersInfo()
    {
        var code = CodeFor("oauthuser", EmulatedOAuth.UserInfoScope);

        var token = await OAuth.GetOAuthAccessTokenAsync(CodeGrant(code));
        var info = await OAuth.GetOAuthUserInfoAsync(new GetOAuthUserInfoRequest(), WithToken(token.AccessToken));

        var exchange = _kraken.Requests.For(TokenPath)[^1];
        var form = System.Web.HttpUtility.ParseQueryString(exchange.BodyText);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OAuthClientId}:{_oauthClientSecret}"));
        var userInfoCall = _kraken.Requests.For(UserInfoPath)[^1];
        Assert.Multiple(() =>
        {
            Assert.That(token.AccessToken, Is.Not.Empty);
            Assert.That(token.TokenType, Is.EqualTo("bearer"));
            Assert.That(token.ExpiresIn, Is.EqualTo(Duration.FromTimeSpan(TimeSpan.FromHours(24))), "a confidential client's token lasts 24 hours");
            Assert.That(token.RefreshToken, Is.Not.Empty.And.Not.EqualTo(token.AccessToken));

            Assert.That(exchange.Headers["Authorization"], Is.EqualTo($"Basic {basic}"));
            Assert.That(form["grant_type"], Is.EqualTo("authorization_code"));
            Assert.That(form["code"], Is.EqualTo(code));
            Assert.That(form["redirect_uri"], Is.EqualTo(RedirectUri));
            Assert.That(userInfoCall.Headers["Authorization"], Is.EqualTo($"Bearer {token.AccessToken}"));

            Assert.That(info.Email, Is.EqualTo("oauthuser@funding-tests.invalid"));
            Assert.That(info.Email, Is.EqualTo(Account("oauthuser").Email));
            Assert.That(info.Iiban, Is.EqualTo(Account("oauthuser").Iiban).And.Not.Empty);
        });
    }

    [Test]
    public async Task RefreshGrant_RotatesBothTokens_AndTheOldOnesAreRefused()
    {
        var first = await OAuth.GetOAuthAccessTokenAsync(CodeGrant(CodeFor("oauthrefresh", EmulatedOAuth.UserInfoScope)));

        var second = await OAuth.GetOAuthAccessTokenAsync(RefreshGrant(first.RefreshToken));
        var info = await OAuth.GetOAuthUserInfoAsync(new GetOAuthUserInfoRequest(), WithToken(second.AccessToken));
        var oldAccess = Assert.ThrowsAsync<RpcException>(async () =>
            await OAuth.GetOAuthUserInfoAsync(new GetOAuthUserInfoRequest(), WithToken(first.AccessToken)))!;
        var oldRefresh = Assert.ThrowsAsync<RpcException>(async () => await OAuth.GetOAuthAccessTokenAsync(RefreshGrant(first.RefreshToken)))!;

        Assert.Multiple(() =>
        {
            Assert.That(second.AccessToken, Is.Not.Empty.And.Not.EqualTo(first.AccessToken));
            Assert.That(second.RefreshToken, Is.Not.Empty.And.Not.EqualTo(first.RefreshToken));
            Assert.That(second.ExpiresIn, Is.EqualTo(Duration.FromTimeSpan(TimeSpan.FromHours(24))));
            Assert.That(info.Email, Is.EqualTo("oauthrefresh@funding-tests.invalid"));
            Assert.That(oldAccess.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(oldAccess.ErrorInfo().Reason, Is.EqualTo("OAUTH_UNAUTHENTICATED"));
            Assert.That(oldRefresh.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(oldRefresh.ErrorInfo().Reason, Is.EqualTo("OAUTH_REFUSED"));
            Assert.That(oldRefresh.ErrorInfo().Metadata["kraken_error"], Does.StartWith("invalid_grant"));
        });
    }

    [Test]
    public async Task AuthorizationCode_IsSingleUse_AndItsReplayIsRefused()
    {
        var code = CodeFor("oauthreplay", EmulatedOAuth.UserInfoScope);
        await OAuth.GetOAuthAccessTokenAsync(CodeGrant(code));
        var sent = _kraken.Requests.Count(TokenPath);

        var replay = Assert.ThrowsAsync<RpcException>(async () => await OAuth.GetOAuthAccessTokenAsync(CodeGrant(code)))!;

        Assert.Multiple(() =>
        {
            Assert.That(replay.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(replay.ErrorInfo().Reason, Is.EqualTo("OAUTH_REFUSED"));
            Assert.That(_kraken.Requests.Count(TokenPath), Is.EqualTo(sent + 1), "the token exchange is never re-sent");
        });
    }

    [Test]
    public async Task FastApiKey_CreatedWorksAsAGatewayAccount_IsListedWithoutItsSecret_ChangesAndStopsWorkingOnceDeleted()
    {
        var token = (await OAuth.GetOAuthAccessTokenAsync(CodeGrant(CodeFor("oauthkeys")))).AccessToken;
        var user = WithToken(token);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var created = await OAuth.CreateOAuthFastApiKeyAsync(new CreateOAuthFastApiKeyRequest
        {
            ApiKeyName = "funding-bot",
            NonceWindow = 0,
            Permissions = new FastApiKeyPermissions { FundsQuery = true, TradesQueryOpen = true },
        }, user);

        var key = created.Key;
        var stored = Account("oauthkeys").FastApiKeys.Single();
        Assert.Multiple(() =>
        {
            Assert.That(Convert.FromBase64String(created.Secret), Has.Length.EqualTo(64), "a Kraken API secret: 64 bytes, base64");
            Assert.That(key.ApiKey, Is.EqualTo(stored.ApiKey).And.Not.Empty);
            Assert.That(key.ApiKeyName, Is.EqualTo("funding-bot"));
            Assert.That(key.Id, Is.EqualTo(stored.Id).And.Not.Empty);
            Assert.That(key.OauthClient, Is.EqualTo(OAuthClientId));
            Assert.That(key.CreateTime.Seconds, Is.EqualTo(stored.Created.ToUnixTimeSeconds()).And.GreaterThanOrEqualTo(before - 5));
            Assert.That(key.ModifyTime, Is.EqualTo(key.CreateTime));
            Assert.That(key.LastUseTime, Is.Null, "never used yet");
            Assert.That(key.Nonce, Is.Zero);
            Assert.That(key.NonceWindow, Is.Zero);
            Assert.That(key.Purpose, Is.EqualTo("standard"));
            Assert.That(key.QueryFrom, Is.Null);
            Assert.That(key.QueryTo, Is.Null);
            Assert.That(key.ValidUntil, Is.Null);
            Assert.That(key.IpAllowlist, Is.Empty);
            Assert.That(key.Permissions.FundsQuery, Is.True);
            Assert.That(key.Permissions.TradesQueryOpen, Is.True);
            Assert.That(key.Permissions.FundsWithdraw, Is.False);
            Assert.That(key.Permissions.TradesModify, Is.False);
            Assert.That(stored.Permissions, Does.Contain("query-funds").And.Contain("query-open-trades").And.No.Contain("withdraw-funds"));
        });

        // The new key and secret sign for the user's account through a gateway configured with nothing else.
        await using (var keyed = await GatewayHost.StartAsync(_kraken.BaseAddress,
            $"--Kraken:ApiKey={key.ApiKey}", $"--Kraken:ApiSecret={created.Secret}", "--Kraken:Tier=Pro"))
        {
            var balances = await keyed.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest());
            var expected = Account("oauthkeys").Balances.Where(b => b.Value != 0m).ToDictionary(b => b.Key, b => b.Value);
            Assert.That(balances.Balances.ToDictionary(b => b.Key, b => D(b.Value)), Is.EquivalentTo(expected));

            var listed = await OAuth.ListOAuthFastApiKeysAsync(new ListOAuthFastApiKeysRequest(), user);
            var entry = listed.Keys.Single();
            Assert.Multiple(() =>
            {
                Assert.That(entry.ApiKey, Is.EqualTo(key.ApiKey));
                Assert.That(entry.ApiKeyName, Is.EqualTo("funding-bot"));
                Assert.That(entry.Id, Is.EqualTo(key.Id));
                Assert.That(entry.LastUseTime, Is.Not.Null, "it signed a call");
                Assert.That(entry.Nonce, Is.GreaterThan(0));
                Assert.That((ulong)entry.Nonce, Is.EqualTo(Account("oauthkeys").FastApiKeys.Single().HighestNonce));
                Assert.That(MessageText.Strings(listed), Has.None.EqualTo(created.Secret), "a listing never carries the secret");
            });

            var updated = await OAuth.UpdateOAuthFastApiKeyAsync(new UpdateOAuthFastApiKeyRequest
            {
                ApiKeyName = "funding-bot",
                NewApiKeyName = "funding-bot-2",
                NonceWindow = 5,
                Permissions = new FastApiKeyPermissions { TradesModify = true, TradesQueryOpen = false },
                IpAllowlist = new FastApiKeyIpAllowlist { Entries = { "192.0.2.0/24" } },
            }, user);
            var changed = (await OAuth.ListOAuthFastApiKeysAsync(new ListOAuthFastApiKeysRequest(), user)).Keys.Single();
            var storedChange = Account("oauthkeys").FastApiKeys.Single();
            Assert.Multiple(() =>
            {
                Assert.That(updated.Updated, Is.True);
                Assert.That(changed.ApiKeyName, Is.EqualTo("funding-bot-2"));
                Assert.That(changed.ApiKey, Is.EqualTo(key.ApiKey), "the same key");
                Assert.That(changed.NonceWindow, Is.EqualTo(5));
                Assert.That(changed.IpAllowlist, Is.EqualTo(new[] { "192.0.2.0/24" }));
                Assert.That(changed.Permissions.TradesModify, Is.True);
                Assert.That(changed.Permissions.TradesQueryOpen, Is.False);
                Assert.That(changed.Permissions.FundsQuery, Is.True, "permissions left out keep their value");
                Assert.That(changed.ModifyTime.Seconds, Is.GreaterThanOrEqualTo(changed.CreateTime.Seconds));
                Assert.That(storedChange.Name, Is.EqualTo("funding-bot-2"));
                Assert.That(storedChange.NonceWindow, Is.EqualTo(5));
                Assert.That(storedChange.Permissions, Does.Contain("modify-trades").And.No.Contain("query-open-trades"));
            });

            var deleted = await OAuth.DeleteOAuthFastApiKeyAsync(new DeleteOAuthFastApiKeyRequest { ApiKeyName = "funding-bot-2" }, user);
            var refused = Assert.ThrowsAsync<RpcException>(async () => await keyed.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest()))!;
            var afterDelete = await OAuth.ListOAuthFastApiKeysAsync(new ListOAuthFastApiKeysRequest(), user);
            Assert.Multiple(() =>
            {
                Assert.That(deleted.Deleted, Is.True);
                Assert.That(refused.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
                Assert.That(refused.ErrorInfo().Reason, Is.EqualTo("INVALID_KEY"));
                Assert.That(afterDelete.Keys, Is.Empty);
                Assert.That(Account("oauthkeys").FastApiKeys, Is.Empty);
            });
        }
    }

    [Test]
    public async Task FastApiKeyLimits_RoundTripAsTimes_AndTheEpochOrAnEmptyListClearsThem()
    {
        var user = WithToken((await OAuth.GetOAuthAccessTokenAsync(CodeGrant(CodeFor("oauthlimits")))).AccessToken);
        var from = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds();
        var to = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds();
        var until = DateTimeOffset.UtcNow.AddDays(90).ToUnixTimeSeconds();

        var created = await OAuth.CreateOAuthFastApiKeyAsync(new CreateOAuthFastApiKeyRequest
        {
            ApiKeyName = "limited",
            NonceWindow = 1000,
            IpAllowlist = { "198.51.100.7", "2001:db8::/32" },
            QueryFrom = new Timestamp { Seconds = from },
            QueryTo = new Timestamp { Seconds = to },
            ValidUntil = new Timestamp { Seconds = until },
        }, user);
        var updated = await OAuth.UpdateOAuthFastApiKeyAsync(new UpdateOAuthFastApiKeyRequest
        {
            ApiKeyName = "limited",
            ValidUntil = new Timestamp(),
            QueryFrom = new Timestamp(),
            IpAllowlist = new FastApiKeyIpAllowlist(),
        }, user);
        var listed = (await OAuth.ListOAuthFastApiKeysAsync(new ListOAuthFastApiKeysRequest(), user)).Keys.Single();

        Assert.Multiple(() =>
        {
            Assert.That(created.Key.NonceWindow, Is.EqualTo(1000));
            Assert.That(created.Key.IpAllowlist, Is.EqualTo(new[] { "198.51.100.7", "2001:db8::/32" }));
            Assert.That(created.Key.QueryFrom, Is.EqualTo(new Timestamp { Seconds = from }));
            Assert.That(created.Key.QueryTo, Is.EqualTo(new Timestamp { Seconds = to }));
            Assert.That(created.Key.ValidUntil, Is.EqualTo(new Timestamp { Seconds = until }));
            Assert.That(created.Key.Permissions.FundsWithdraw, Is.True, "without permissions the key gets what the token's scopes allow");
            Assert.That(Account("oauthlimits").FastApiKeys.Single().ValidUntil, Is.Null, "cleared");
            Assert.That(Account("oauthlimits").FastApiKeys.Single().NonceWindow, Is.EqualTo(1000));

            Assert.That(updated.Updated, Is.True);
            Assert.That(listed.ValidUntil, Is.Null, "the epoch means never");
            Assert.That(listed.QueryFrom, Is.Null, "the epoch means no restriction");
            Assert.That(listed.QueryTo, Is.EqualTo(new Timestamp { Seconds = to }), "left out, so unchanged");
            Assert.That(listed.IpAllowlist, Is.Empty, "an empty allowlist clears it");
            Assert.That(listed.NonceWindow, Is.EqualTo(1000));
        });
    }

    [TestCase("")]
    [TestCase("a-name-that-is-longer-than-32-chars")]
    public async Task FastApiKeyRenameToANameOutside1To32Characters_IsRefusedBeforeKraken_AndTheNameStays(string newName)
    {
        var user = WithToken((await OAuth.GetOAuthAccessTokenAsync(CodeGrant(CodeFor("oauthnames")))).AccessToken);
        if (Account("oauthnames").FastApiKeys.Count == 0)
        {
            await OAuth.CreateOAuthFastApiKeyAsync(new CreateOAuthFastApiKeyRequest { ApiKeyName = "keep-me" }, user);
        }
        var sent = _kraken.Requests.Count(FastApiKeyPath);

        var failure = Assert.ThrowsAsync<RpcException>(async () => await OAuth.UpdateOAuthFastApiKeyAsync(
            new UpdateOAuthFastApiKeyRequest { ApiKeyName = "keep-me", NewApiKeyName = newName }, user))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "new_api_key_name" }));
            Assert.That(_kraken.Requests.Count(FastApiKeyPath), Is.EqualTo(sent), "the rename reached Kraken");
            Assert.That(Account("oauthnames").FastApiKeys.Single().Name, Is.EqualTo("keep-me"));
        });
    }

    [Test]
    public void UserCallsWithoutAToken_AreUnauthenticated_AndNothingIsSent()
    {
        var sent = _kraken.Requests.Count(UserInfoPath) + _kraken.Requests.Count(FastApiKeyPath);
        var calls = new (string Rpc, Func<Task> Call)[]
        {
            ("GetOAuthUserInfo", () => OAuth.GetOAuthUserInfoAsync(new GetOAuthUserInfoRequest()).ResponseAsync),
            ("ListOAuthFastApiKeys", () => OAuth.ListOAuthFastApiKeysAsync(new ListOAuthFastApiKeysRequest()).ResponseAsync),
            ("CreateOAuthFastApiKey", () => OAuth.CreateOAuthFastApiKeyAsync(new CreateOAuthFastApiKeyRequest { ApiKeyName = "x" }).ResponseAsync),
            ("UpdateOAuthFastApiKey", () => OAuth.UpdateOAuthFastApiKeyAsync(new UpdateOAuthFastApiKeyRequest { ApiKeyName = "x", NonceWindow = 1 }).ResponseAsync),
            ("DeleteOAuthFastApiKey", () => OAuth.DeleteOAuthFastApiKeyAsync(new DeleteOAuthFastApiKeyRequest { ApiKeyName = "x" }).ResponseAsync),
            // An empty value is no token either.
            ("GetOAuthUserInfo (empty token)", () => OAuth.GetOAuthUserInfoAsync(new GetOAuthUserInfoRequest(), WithToken(string.Empty)).ResponseAsync),
        };

        Assert.Multiple(() =>
        {
            foreach (var (rpc, call) in calls)
            {
                var failure = Assert.ThrowsAsync<RpcException>(() => call(), rpc)!;
                Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated), rpc);
                Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("OAUTH_TOKEN_MISSING"), rpc);
            }
            Assert.That(_kraken.Requests.Count(UserInfoPath) + _kraken.Requests.Count(FastApiKeyPath), Is.EqualTo(sent), "a call without a token reached Kraken");
        });
    }

    [Test]
    public async Task TokenWithoutTheNeededScope_IsPermissionDenied_AndCreatesNothing()
    {
        var infoOnly = WithToken((await OAuth.GetOAuthAccessTokenAsync(CodeGrant(CodeFor("oauthscope", EmulatedOAuth.UserInfoScope)))).AccessToken);

        var list = Assert.ThrowsAsync<RpcException>(async () => await OAuth.ListOAuthFastApiKeysAsync(new ListOAuthFastApiKeysRequest(), infoOnly))!;
        var create = Assert.ThrowsAsync<RpcException>(async () =>
            await OAuth.CreateOAuthFastApiKeyAsync(new CreateOAuthFastApiKeyRequest { ApiKeyName = "no-scope" }, infoOnly))!;

        // Allowed to write keys, but not to give them the withdraw permission.
        var writer = WithToken((await OAuth.GetOAuthAccessTokenAsync(CodeGrant(CodeFor("oauthscope",
            EmulatedOAuth.FastApiKeyWriteScope, "account.fast-api-key:funds-query")))).AccessToken);
        var withdraw = Assert.ThrowsAsync<RpcException>(async () => await OAuth.CreateOAuthFastApiKeyAsync(
            new CreateOAuthFastApiKeyRequest { ApiKeyName = "withdrawer", Permissions = new FastApiKeyPermissions { FundsWithdraw = true } }, writer))!;
        var userInfo = Assert.ThrowsAsync<RpcException>(async () => await OAuth.GetOAuthUserInfoAsync(new GetOAuthUserInfoRequest(), writer))!;

        Assert.Multiple(() =>
        {
            foreach (var (rpc, failure) in new[] { ("list", list), ("create", create), ("create with withdraw", withdraw), ("user info", userInfo) })
            {
                Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.PermissionDenied), rpc);
                Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("OAUTH_INSUFFICIENT_SCOPE"), rpc);
            }
            Assert.That(Account("oauthscope").FastApiKeys, Is.Empty);
        });
    }

    [Test]
    public async Task GatewayWithAWrongClientSecret_IsUnauthenticated_AndTheCodeStaysUsable()
    {
        var code = CodeFor("oauthclient", EmulatedOAuth.UserInfoScope);

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await new OAuthService.OAuthServiceClient(_wrongClientSecret.Channel).GetOAuthAccessTokenAsync(CodeGrant(code)))!;
        var token = await OAuth.GetOAuthAccessTokenAsync(CodeGrant(code));

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("OAUTH_UNAUTHENTICATED"));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Does.StartWith("invalid_client"));
            Assert.That(failure.Status.Detail, Does.Not.Contain(_oauthClientSecret));
            Assert.That(token.AccessToken, Is.Not.Empty, "the refused exchange did not use up the code");
        });
    }

    [Test]
    public void GatewayWithoutAnOAuthClient_RefusesTheTokenExchange_AndSendsNothing()
    {
        var sent = _kraken.Requests.Count(TokenPath);

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await new OAuthService.OAuthServiceClient(_impatient.Channel).GetOAuthAccessTokenAsync(CodeGrant("any-code")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("OAUTH_NOT_CONFIGURED"));
            Assert.That(_kraken.Requests.Count(TokenPath), Is.EqualTo(sent));
        });
    }

    [Test]
    public void TokenRequestWithoutAGrant_IsRefusedBeforeKraken()
    {
        var sent = _kraken.Requests.Count(TokenPath);

        var noGrant = Assert.ThrowsAsync<RpcException>(async () => await OAuth.GetOAuthAccessTokenAsync(new GetOAuthAccessTokenRequest()))!;
        var emptyCode = Assert.ThrowsAsync<RpcException>(async () => await OAuth.GetOAuthAccessTokenAsync(CodeGrant(string.Empty)))!;

        Assert.Multiple(() =>
        {
            Assert.That(noGrant.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(noGrant.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "grant" }));
            Assert.That(emptyCode.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(emptyCode.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "authorization_code.code" }));
            Assert.That(_kraken.Requests.Count(TokenPath), Is.EqualTo(sent));
        });
    }

    // =============================================================================================================
    // Helpers
    // =============================================================================================================

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (waited.Elapsed > Patience)
            {
                Assert.Fail($"Gave up after {Patience.TotalSeconds} s waiting until {what}.");
            }
            await Task.Delay(PollInterval);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what) =>
        await WaitForAsync(() => Task.FromResult(condition()), done => done, what);
}
