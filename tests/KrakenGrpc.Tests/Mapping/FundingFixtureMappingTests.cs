using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Mapping;

/// <summary>
/// FundingService's result mappings: every funding and Earn fixture Kraken documents mapped with nothing lost and
/// nothing reformatted, plus the shapes the examples do not show (paginated histories, bonded and flex strategies,
/// allocations in every state, null answers).
/// </summary>
public partial class FundingFixtureMappingTests
{
    // Per fixture: the mapping, and the keys whose digits become typed fields (times, durations, counts) rather than
    // text; those are asserted one by one below.
    private static readonly (string Fixture, Func<JsonElement, IMessage> Map, string[] TypedKeys)[] Mappings =
    [
        ("DepositMethods", r => FundingMapping.ToDepositMethods(r), []),
        ("DepositAddresses", r => FundingMapping.ToDepositAddresses(r), ["expiretm"]),
        ("DepositStatus", r => FundingMapping.ToDepositsStatus(r), ["time"]),
        ("WithdrawMethods", r => FundingMapping.ToWithdrawalMethods(r), []),
        ("WithdrawAddresses", r => FundingMapping.ToWithdrawalAddresses(r), []),
        ("WithdrawInfo", r => FundingMapping.ToWithdrawalInfo(r), []),
        ("Withdraw", r => FundingMapping.ToSubmitWithdrawal(r), []),
        ("WithdrawStatus", r => FundingMapping.ToWithdrawalsStatus(r), ["time"]),
        ("WithdrawCancel", r => FundingMapping.ToCancelWithdrawal(r), []),
        ("WalletTransfer", r => FundingMapping.ToSubmitTransferToFutures(r), []),
        ("Earn_Strategies", r => FundingMapping.ToEarnStrategies(r), ["payout_frequency"]),
        ("Earn_Allocations", r => FundingMapping.ToEarnAllocations(r), ["allocation_count"]),
        ("Earn_Allocate", r => FundingMapping.ToAllocateEarnFunds(r), []),
        ("Earn_Deallocate", r => FundingMapping.ToDeallocateEarnFunds(r), []),
        ("Earn_AllocateStatus", r => FundingMapping.ToEarnAllocationStatus(r), []),
        ("Earn_DeallocateStatus", r => FundingMapping.ToEarnDeallocationStatus(r), []),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Mappings.Select(m => new TestCaseData(m.Fixture).SetName($"Fixture_{m.Fixture}_KeepsEveryDecimalTextByteForByte"));

    private static T Map<T>(string fixture, Func<JsonElement, T> map)
    {
        using var response = KrakenEnvelope.Parse(fixture, Fixtures.Bytes(fixture), TimeProvider.System);
        return map(response.Result);
    }

    private static T MapJson<T>(string json, Func<JsonElement, T> map)
    {
        using var document = JsonDocument.Parse(json);
        return map(document.RootElement);
    }

    // ---- Every fixture: parsed, mapped, nothing lost, nothing reformatted -----------------------------------

    [TestCaseSource(nameof(Cases))]
    public void EveryDecimalOfTheFixture_ArrivesAsTheExactTextKrakenWrote(string fixture)
    {
        var (_, map, typedKeys) = Mappings.Single(m => m.Fixture == fixture);
        using var response = KrakenEnvelope.Parse(fixture, Fixtures.Bytes(fixture), TimeProvider.System);

        var expected = MessageText.DecimalTexts(response.Result, typedKeys);
        var mapped = MessageText.Strings(map(response.Result));

        foreach (var text in expected.Distinct())
        {
            Assert.That(mapped.Count(t => t == text), Is.GreaterThanOrEqualTo(expected.Count(t => t == text)), $"'{text}' lost or reformatted in {fixture}");
        }
    }

    [Test]
    public void EveryFundingFixture_IsCoveredByAMapping()
    {
        var fixtures = Directory.GetFiles(Path.GetDirectoryName(Fixtures.Path("Withdraw"))!, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name!.StartsWith("Deposit", StringComparison.Ordinal) || name.StartsWith("Withdraw", StringComparison.Ordinal)
                || name.StartsWith("Earn_", StringComparison.Ordinal) || name == "WalletTransfer")
            .ToList();

        Assert.That(Mappings.Select(m => m.Fixture), Is.EquivalentTo(fixtures));
    }

    // ---- Deposits -------------------------------------------------------------------------------------------

    [Test]
    public void DepositMethods_MapEveryMethod_AndLimitFalseMeansNoLimit()
    {
        var methods = Map("DepositMethods", FundingMapping.ToDepositMethods).Methods;

        Assert.Multiple(() =>
        {
            Assert.That(methods.Select(m => m.Method), Is.EqualTo(new[] { "Bitcoin", "Bitcoin Lightning" }));
            Assert.That(methods[0].Limit, Is.Empty, "false: no limit");
            Assert.That(methods[0].Fee, Is.EqualTo("0.0000000000"));
            Assert.That(methods[0].CanGenerateAddress, Is.True);
            Assert.That(methods[0].Minimum, Is.EqualTo("0.00010000"));
            Assert.That(methods[0].AddressSetupFee, Is.Empty);
            Assert.That(methods[1].Fee, Is.EqualTo("0.00000000"));
            Assert.That(methods[1].CanGenerateAddress, Is.False, "gen-address absent");
        });
    }

    [Test]
    public void DepositMethods_ALimitAndSetupFee_AreKeptAsKrakensText()
    {
        var method = MapJson("""[{"method":"SEPA","limit":"25000.00","fee":"0.00","address-setup-fee":"1.50","gen-address":false,"minimum":"1.00"}]""",
            FundingMapping.ToDepositMethods).Methods.Single();

        Assert.Multiple(() =>
        {
            Assert.That(method.Limit, Is.EqualTo("25000.00"));
            Assert.That(method.AddressSetupFee, Is.EqualTo("1.50"));
            Assert.That(method.CanGenerateAddress, Is.False);
        });
    }

    [Test]
    public void DepositAddresses_ExpiryZeroIsUnset_AndTagAndMemoAreKept()
    {
        var addresses = Map("DepositAddresses", FundingMapping.ToDepositAddresses).Addresses;

        Assert.Multiple(() =>
        {
            Assert.That(addresses, Has.Count.EqualTo(5));
            Assert.That(addresses[0].Address, Is.EqualTo("2N9fRkx5JTWXWHmXzZtvhQsufvoYRMq9ExV"));
            Assert.That(addresses.Select(a => a.ExpireTime), Is.All.Null, "\"0\": never expires");
            Assert.That(addresses[0].NeverUsed, Is.True);
            Assert.That(addresses[2].NeverUsed, Is.False, "new absent");
            Assert.That(addresses[3].Tag, Is.EqualTo("1361101127"));
            Assert.That(addresses[3].Memo, Is.Empty);
            Assert.That(addresses[4].Address, Is.EqualTo("krakenkraken"));
            Assert.That(addresses[4].Memo, Is.EqualTo("4150096490"));
        });
    }

    [Test]
    public void DepositAddresses_AnExpiringInvoice_HasItsExpiryTime()
    {
        var address = MapJson("""[{"address":"lnbc1u1p3","expiretm":"1688996322","new":true}]""", FundingMapping.ToDepositAddresses).Addresses.Single();

        Assert.That(address.ExpireTime, Is.EqualTo(new Timestamp { Seconds = 1688996322 }));
    }

    [Test]
    public void DepositStatus_BareArray_MapsEveryDepositWithItsStatusAndOriginators()
    {
        var status = Map("DepositStatus", FundingMapping.ToDepositsStatus);
        var first = status.Deposits[0];
        var second = status.Deposits[1];

        Assert.Multiple(() =>
        {
            Assert.That(status.Deposits, Has.Count.EqualTo(2));
            Assert.That(status.NextCursor, Is.Empty);
            Assert.That(first.Method, Is.EqualTo("Bitcoin"));
            Assert.That(first.AssetClass, Is.EqualTo("currency"));
            Assert.That(first.Asset, Is.EqualTo("XXBT"));
            Assert.That(first.ReferenceId, Is.EqualTo("FTQcuak-V6Za8qrWnhzTx67yYHz8Tg"));
            Assert.That(first.TransactionId, Is.EqualTo("6544b41b607d8b2512baf801755a3a87b6890eacdb451be8a94059fb11f0a8d9"));
            Assert.That(first.Info, Is.EqualTo("2Myd4eaAW96ojk38A2uDK4FbioCayvkEgVq"));
            Assert.That(first.Amount, Is.EqualTo("0.78125000"));
            Assert.That(first.Fee, Is.EqualTo("0.0000000000"));
            Assert.That(first.Time, Is.EqualTo(new Timestamp { Seconds = 1688992722 }));
            Assert.That(first.Status, Is.EqualTo("Success"));
            Assert.That(first.StatusProperty, Is.EqualTo("return"));
            Assert.That(first.Originators, Is.Empty);
            Assert.That(second.Amount, Is.EqualTo("0.1383862742"));
            Assert.That(second.Fee, Is.Empty, "no fee sent");
            Assert.That(second.StatusProperty, Is.EqualTo("onhold"));
            Assert.That(second.Originators, Is.EqualTo(new[]
            {
                "0x70b6343b104785574db2c1474b3acb3937ab5de7346a5b857a78ee26954e0e2d",
                "0x5b32f6f792904a446226b17f607850d0f2f7533cdc35845bfe432b5b99f55b66",
            }));
        });
    }

    [Test]
    public void DepositStatus_PaginatedObject_MapsTheDepositListAndTheNextCursor()
    {
        var status = MapJson("""
            {"deposit":[{"method":"Bitcoin","asset":"XXBT","refid":"FTQ1","amount":"0.50000000","time":1688992722,"status":"Success"}],
             "next_cursor":"MTY4ODk5MjcyMg=="}
            """, FundingMapping.ToDepositsStatus);

        Assert.Multiple(() =>
        {
            Assert.That(status.Deposits.Single().ReferenceId, Is.EqualTo("FTQ1"));
            Assert.That(status.Deposits.Single().Amount, Is.EqualTo("0.50000000"));
            Assert.That(status.NextCursor, Is.EqualTo("MTY4ODk5MjcyMg=="));
        });
    }

    [Test]
    public void DepositStatus_LastPage_HasNoNextCursor()
    {
        var status = MapJson("""{"deposit":[{"refid":"FTQ9","amount":"1.0"}],"next_cursor":null}""", FundingMapping.ToDepositsStatus);

        Assert.Multiple(() =>
        {
            Assert.That(status.Deposits, Has.Count.EqualTo(1));
            Assert.That(status.NextCursor, Is.Empty);
        });
    }

    [Test]
    public void DepositStatus_PaginatedObjectWithThePluralKey_IsReadToo()
    {
        var status = MapJson("""{"deposits":[{"refid":"FTQ2","amount":"2.5"}],"next_cursor":"c2"}""", FundingMapping.ToDepositsStatus);

        Assert.Multiple(() =>
        {
            Assert.That(status.Deposits.Single().ReferenceId, Is.EqualTo("FTQ2"));
            Assert.That(status.NextCursor, Is.EqualTo("c2"));
        });
    }

    [Test]
    public void DepositStatus_NoDepositsAtAll_IsAnEmptyList()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MapJson("[]", FundingMapping.ToDepositsStatus).Deposits, Is.Empty);
            Assert.That(MapJson("null", FundingMapping.ToDepositsStatus).Deposits, Is.Empty);
            Assert.That(MapJson("""{"deposit":[],"next_cursor":null}""", FundingMapping.ToDepositsStatus).Deposits, Is.Empty);
        });
    }

    [Test]
    public void DepositStatus_ListUnderAnUnknownKey_IsAnUnreadableAnswer_NeverAnEmptyHistory()
    {
        var failure = Assert.Throws<KrakenException>(() => MapJson("""{"items":[{"refid":"FTQ3"}],"next_cursor":"c3"}""", FundingMapping.ToDepositsStatus))!;

        Assert.That(failure.Message, Does.Contain("items"));
    }

    // ---- Withdrawals ----------------------------------------------------------------------------------------

    [Test]
    public void WithdrawalMethods_MapAssetMethodNetworkAndMinimum()
    {
        var methods = Map("WithdrawMethods", FundingMapping.ToWithdrawalMethods).Methods;

        Assert.Multiple(() =>
        {
            Assert.That(methods, Has.Count.EqualTo(2));
            Assert.That(methods[1].Asset, Is.EqualTo("XXBT"));
            Assert.That(methods[1].Method, Is.EqualTo("Bitcoin Lightning"));
            Assert.That(methods[1].Network, Is.EqualTo("Lightning"));
            Assert.That(methods[1].Minimum, Is.EqualTo("0.00001"));
            Assert.That(methods[0].Minimum, Is.EqualTo("0.0004"));
        });
    }

    [Test]
    public void WithdrawalAddresses_MapTheKeyNameAndVerification()
    {
        var address = Map("WithdrawAddresses", FundingMapping.ToWithdrawalAddresses).Addresses.Single();

        Assert.Multiple(() =>
        {
            Assert.That(address.Address, Is.EqualTo("bc1qxdsh4sdd29h6ldehz0se5c61asq8cgwyjf2y3z"));
            Assert.That(address.Asset, Is.EqualTo("XBT"));
            Assert.That(address.Method, Is.EqualTo("Bitcoin"));
            Assert.That(address.WithdrawalKey, Is.EqualTo("btc-wallet-1"));
            Assert.That(address.Verified, Is.True);
            Assert.That(address.Tag, Is.Empty);
        });
    }

    [Test]
    public void WithdrawalInfo_MapsTheQuote_WithKrakensAmountAsTheNetAmount()
    {
        var info = Map("WithdrawInfo", FundingMapping.ToWithdrawalInfo);

        Assert.Multiple(() =>
        {
            Assert.That(info.Method, Is.EqualTo("Bitcoin"));
            Assert.That(info.Limit, Is.EqualTo("332.00956139"));
            Assert.That(info.NetAmount, Is.EqualTo("0.72485000"));
            Assert.That(info.Fee, Is.EqualTo("0.00020000"));
        });
    }

    [Test]
    public void SubmitWithdrawalAndTransfer_ReturnKrakensReferenceId()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Map("Withdraw", FundingMapping.ToSubmitWithdrawal).ReferenceId, Is.EqualTo("FTQcuak-V6Za8qrWnhzTx67yYHz8Tg"));
            Assert.That(Map("WalletTransfer", FundingMapping.ToSubmitTransferToFutures).ReferenceId, Is.EqualTo("FTQcuak-V6Za8qrWnhzTx67yYHz8Tg"));
        });
    }

    [Test]
    public void WithdrawStatus_BareArray_MapsEveryWithdrawalWithItsKeyAndStatusProperty()
    {
        var status = Map("WithdrawStatus", FundingMapping.ToWithdrawalsStatus);
        var pending = status.Withdrawals[0];
        var canceled = status.Withdrawals[1];

        Assert.Multiple(() =>
        {
            Assert.That(status.Withdrawals, Has.Count.EqualTo(2));
            Assert.That(status.NextCursor, Is.Empty);
            Assert.That(pending.Method, Is.EqualTo("Bitcoin"));
            Assert.That(pending.Network, Is.Empty, "network absent from the example");
            Assert.That(pending.AssetClass, Is.EqualTo("currency"));
            Assert.That(pending.Asset, Is.EqualTo("XXBT"));
            Assert.That(pending.ReferenceId, Is.EqualTo("FTQcuak-V6Za8qrWnhzTx67yYHz8Tg"));
            Assert.That(pending.TransactionId, Is.EqualTo("29323ce235cee8dae22503caba7....8ad3a506879a03b1e87992923d80428"));
            Assert.That(pending.Info, Is.EqualTo("bc1qm32pq....3ewt0j37s2g"));
            Assert.That(pending.Amount, Is.EqualTo("0.72485000"));
            Assert.That(pending.Fee, Is.EqualTo("0.00020000"));
            Assert.That(pending.Time, Is.EqualTo(new Timestamp { Seconds = 1688014586 }));
            Assert.That(pending.Status, Is.EqualTo("Pending"));
            Assert.That(pending.StatusProperty, Is.Empty);
            Assert.That(pending.WithdrawalKey, Is.EqualTo("btc-wallet-1"));
            Assert.That(canceled.Time, Is.EqualTo(new Timestamp { Seconds = 1688015423 }));
            Assert.That(canceled.Status, Is.EqualTo("Failure"));
            Assert.That(canceled.StatusProperty, Is.EqualTo("canceled"));
            Assert.That(canceled.WithdrawalKey, Is.EqualTo("btc-wallet-2"));
        });
    }

    [Test]
    public void WithdrawStatus_PaginatedObject_MapsTheListAndTheNextCursor()
    {
        var status = MapJson("""
            {"withdrawals":[{"method":"Bitcoin","network":"Bitcoin","refid":"FTQW1","amount":"0.72485000","fee":"0.00020000","time":1688014586,"status":"Success"}],
             "next_cursor":"Mg=="}
            """, FundingMapping.ToWithdrawalsStatus);

        Assert.Multiple(() =>
        {
            Assert.That(status.Withdrawals.Single().ReferenceId, Is.EqualTo("FTQW1"));
            Assert.That(status.Withdrawals.Single().Network, Is.EqualTo("Bitcoin"));
            Assert.That(status.NextCursor, Is.EqualTo("Mg=="));
            Assert.That(MapJson("""{"withdrawal":[{"refid":"FTQW2"}],"next_cursor":"Mw=="}""", FundingMapping.ToWithdrawalsStatus).Withdrawals.Single().ReferenceId,
                Is.EqualTo("FTQW2"));
        });
    }

    [Test]
    public void WithdrawStatus_ListUnderAnUnknownKey_IsAnUnreadableAnswer_NeverAnEmptyHistory()
    {
        Assert.Throws<KrakenException>(() => MapJson("""{"items":[{"refid":"FTQW3"}]}""", FundingMapping.ToWithdrawalsStatus));
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    public void CancelWithdrawal_BareBoolean_IsTheCancellationRequestedFlag(string json, bool expected)
    {
        Assert.That(MapJson(json, FundingMapping.ToCancelWithdrawal).CancellationRequested, Is.EqualTo(expected));
        Assert.That(Map("WithdrawCancel", FundingMapping.ToCancelWithdrawal).CancellationRequested, Is.True);
    }

    // ---- Earn strategies ------------------------------------------------------------------------------------

    [Test]
    public void EarnStrategies_InstantStrategy_MapsLockAprFeesCompoundingAndYieldSource()
    {
        var strategies = Map("Earn_Strategies", FundingMapping.ToEarnStrategies);
        var strategy = strategies.Strategies.Single();

        Assert.Multiple(() =>
        {
            Assert.That(strategies.NextCursor, Is.EqualTo("2"));
            Assert.That(strategy.Id, Is.EqualTo("ESRFUO3-Q62XD-WIOIL7"));
            Assert.That(strategy.Asset, Is.EqualTo("DOT"));
            Assert.That(strategy.LockType.Type, Is.EqualTo(EarnLockType.Instant));
            Assert.That(strategy.LockType.ParametersCase, Is.EqualTo(EarnStrategyLock.ParametersOneofCase.Instant));
            Assert.That(strategy.LockType.Instant.PayoutFrequency, Is.EqualTo(new Duration { Seconds = 604800 }));
            Assert.That(strategy.AprEstimate.Low, Is.EqualTo("8.0000"));
            Assert.That(strategy.AprEstimate.High, Is.EqualTo("12.0000"));
            Assert.That(strategy.UserMinAllocation, Is.EqualTo("0.01"));
            Assert.That(strategy.UserCap, Is.Empty, "no cap sent");
            Assert.That(strategy.AllocationFee, Is.EqualTo("0.0000"));
            Assert.That(strategy.DeallocationFee, Is.EqualTo("0.0000"));
            Assert.That(strategy.AutoCompound.Type, Is.EqualTo(EarnAutoCompoundType.Enabled));
            Assert.That(strategy.AutoCompound.DefaultEnabled, Is.False);
            Assert.That(strategy.YieldSource.Type, Is.EqualTo(EarnYieldSourceType.Staking));
            Assert.That(strategy.CanAllocate, Is.True);
            Assert.That(strategy.CanDeallocate, Is.True);
            Assert.That(strategy.AllocationRestrictions, Is.Empty);
        });
    }

    [Test]
    public void EarnStrategies_BondedStrategy_MapsEveryPeriodFromSecondsAndEveryFlag()
    {
        var strategy = MapJson("""
            {"items":[{"id":"ESDQCOL-WTZEU-NU55QF","asset":"ETH",
              "lock_type":{"type":"bonded","bonding_period":3628800,"bonding_period_variable":true,"bonding_rewards":false,
                           "exit_queue_period":"0","payout_frequency":604800,"unbonding_period":259200.5,
                           "unbonding_period_variable":false,"unbonding_rewards":true},
              "apr_estimate":null,"user_min_allocation":null,"user_cap":"0","allocation_fee":0,"deallocation_fee":"0.0150",
              "auto_compound":{"type":"optional","default":true},"yield_source":{"type":"off_chain"},
              "can_allocate":false,"can_deallocate":true,"allocation_restriction_info":["tier"]}],
             "next_cursor":null}
            """, FundingMapping.ToEarnStrategies).Strategies.Single();
        var bonded = strategy.LockType.Bonded;

        Assert.Multiple(() =>
        {
            Assert.That(strategy.LockType.Type, Is.EqualTo(EarnLockType.Bonded));
            Assert.That(bonded.BondingPeriod, Is.EqualTo(new Duration { Seconds = 3628800 }));
            Assert.That(bonded.BondingPeriodVariable, Is.True);
            Assert.That(bonded.BondingRewards, Is.False);
            Assert.That(bonded.ExitQueuePeriod, Is.EqualTo(new Duration()), "zero: no exit queue");
            Assert.That(bonded.PayoutFrequency, Is.EqualTo(new Duration { Seconds = 604800 }));
            Assert.That(bonded.UnbondingPeriod, Is.EqualTo(new Duration { Seconds = 259200, Nanos = 500_000_000 }), "a fraction is kept, not rounded");
            Assert.That(bonded.UnbondingPeriodVariable, Is.False);
            Assert.That(bonded.UnbondingRewards, Is.True);
            Assert.That(strategy.AprEstimate, Is.Null, "null: no estimate");
            Assert.That(strategy.UserMinAllocation, Is.Empty);
            Assert.That(strategy.UserCap, Is.EqualTo("0"), "\"0\": new allocations refused");
            Assert.That(strategy.AllocationFee, Is.EqualTo("0"), "a JSON number keeps its text");
            Assert.That(strategy.DeallocationFee, Is.EqualTo("0.0150"));
            Assert.That(strategy.AutoCompound.Type, Is.EqualTo(EarnAutoCompoundType.Optional));
            Assert.That(strategy.AutoCompound.DefaultEnabled, Is.True);
            Assert.That(strategy.YieldSource.Type, Is.EqualTo(EarnYieldSourceType.OffChain));
            Assert.That(strategy.CanAllocate, Is.False);
            Assert.That(strategy.AllocationRestrictions, Is.EqualTo(new[] { "tier" }));
        });
    }

    [Test]
    public void EarnStrategies_FlexAndUnknownLockTypes_CarryNoParameters_AndNeverFailTheAnswer()
    {
        var strategies = MapJson("""
            {"items":[{"id":"S1","lock_type":{"type":"flex"},"auto_compound":{"type":"disabled"},"yield_source":{"type":"staking"}},
                      {"id":"S2","lock_type":{"type":"liquid","payout_frequency":86400},"auto_compound":{"type":"sometimes"},"yield_source":{"type":"lending"}},
                      {"id":"S3","lock_type":{"type":"timed"}}]}
            """, FundingMapping.ToEarnStrategies).Strategies;

        Assert.Multiple(() =>
        {
            Assert.That(strategies[0].LockType.Type, Is.EqualTo(EarnLockType.Flex));
            Assert.That(strategies[0].LockType.ParametersCase, Is.EqualTo(EarnStrategyLock.ParametersOneofCase.None));
            Assert.That(strategies[0].AutoCompound.Type, Is.EqualTo(EarnAutoCompoundType.Disabled));
            Assert.That(strategies[1].LockType.Type, Is.EqualTo(EarnLockType.Unspecified));
            Assert.That(strategies[1].LockType.ParametersCase, Is.EqualTo(EarnStrategyLock.ParametersOneofCase.None));
            Assert.That(strategies[1].AutoCompound.Type, Is.EqualTo(EarnAutoCompoundType.Unspecified));
            Assert.That(strategies[1].YieldSource.Type, Is.EqualTo(EarnYieldSourceType.Unspecified));
            Assert.That(strategies[2].LockType.Type, Is.EqualTo(EarnLockType.Timed));
            Assert.That(strategies[2].AutoCompound, Is.Null);
        });
    }

    // ---- Earn allocations -----------------------------------------------------------------------------------

    [Test]
    public void EarnAllocations_MapTotalsBondingLotsWithIsoTimesAndRewards()
    {
        var allocations = Map("Earn_Allocations", FundingMapping.ToEarnAllocations);
        var allocation = allocations.Allocations.Single();
        var bonding = allocation.AmountAllocated.Bonding;

        Assert.Multiple(() =>
        {
            Assert.That(allocations.ConvertedAsset, Is.EqualTo("USD"));
            Assert.That(allocations.TotalAllocated, Is.EqualTo("49.2398"));
            Assert.That(allocations.TotalRewarded, Is.EqualTo("0.0675"));
            Assert.That(allocations.NextCursor, Is.EqualTo("2"));
            Assert.That(allocation.StrategyId, Is.EqualTo("ESDQCOL-WTZEU-NU55QF"));
            Assert.That(allocation.NativeAsset, Is.EqualTo("ETH"));
            Assert.That(bonding.Native, Is.EqualTo("0.0210000000"));
            Assert.That(bonding.Converted, Is.EqualTo("39.0645"));
            Assert.That(bonding.AllocationCount, Is.EqualTo(2));
            Assert.That(bonding.Allocations, Has.Count.EqualTo(2));
            Assert.That(bonding.Allocations[0].CreateTime, Is.EqualTo(Timestamp.FromDateTimeOffset(new DateTimeOffset(2023, 7, 6, 10, 52, 5, TimeSpan.Zero))));
            Assert.That(bonding.Allocations[0].ExpireTime, Is.EqualTo(new Timestamp { Seconds = 1692412445, Nanos = 807_000_000 }));
            Assert.That(bonding.Allocations[0].Native, Is.EqualTo("0.0010000000"));
            Assert.That(bonding.Allocations[0].Converted, Is.EqualTo("1.8602"));
            Assert.That(bonding.Allocations[1].Native, Is.EqualTo("0.0200000000"));
            Assert.That(bonding.Allocations[1].Converted, Is.EqualTo("37.2043"));
            Assert.That(allocation.AmountAllocated.ExitQueue, Is.Null);
            Assert.That(allocation.AmountAllocated.Unbonding, Is.Null);
            Assert.That(allocation.AmountAllocated.Pending, Is.Null);
            Assert.That(allocation.AmountAllocated.Total.Native, Is.EqualTo("0.0210000000"));
            Assert.That(allocation.AmountAllocated.Total.Converted, Is.EqualTo("39.0645"));
            Assert.That(allocation.Payout, Is.Null, "no payout period in the example");
            Assert.That(allocation.TotalRewarded.Native, Is.EqualTo("0"));
            Assert.That(allocation.TotalRewarded.Converted, Is.EqualTo("0.0000"));
        });
    }

    [Test]
    public void EarnAllocations_ExitQueueUnbondingNegativePendingAndPayout_AreMapped()
    {
        var allocation = MapJson("""
            {"converted_asset":"EUR","total_allocated":"10.00","total_rewarded":"0.10","items":[
              {"strategy_id":"S1","native_asset":"ETH",
               "amount_allocated":{
                 "exit_queue":{"native":"0.5","converted":"900.00","allocation_count":1,
                               "allocations":[{"created_at":"2024-01-01T00:00:00Z","expires":"2024-01-20T00:00:00Z","native":"0.5","converted":"900.00"}]},
                 "unbonding":{"native":"0.25","converted":"450.00","allocation_count":"1","allocations":[]},
                 "pending":{"native":"-0.1000000000","converted":"-180.00"},
                 "total":{"native":"1.0","converted":"1800.00"}},
               "payout":{"accumulated_reward":{"native":"0.0001","converted":"0.18"},"estimated_reward":{"native":"0.0003","converted":"0.54"},
                         "period_start":"2024-01-01T00:00:00Z","period_end":"0"},
               "total_rewarded":{"native":"0.01","converted":"18.00"}}]}
            """, FundingMapping.ToEarnAllocations).Allocations.Single();
        var amounts = allocation.AmountAllocated;

        Assert.Multiple(() =>
        {
            Assert.That(amounts.Bonding, Is.Null);
            Assert.That(amounts.ExitQueue.Native, Is.EqualTo("0.5"));
            Assert.That(amounts.ExitQueue.AllocationCount, Is.EqualTo(1));
            Assert.That(amounts.ExitQueue.Allocations.Single().ExpireTime, Is.EqualTo(Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 20, 0, 0, 0, TimeSpan.Zero))));
            Assert.That(amounts.Unbonding.Converted, Is.EqualTo("450.00"));
            Assert.That(amounts.Unbonding.AllocationCount, Is.EqualTo(1), "a count written as text");
            Assert.That(amounts.Pending.Native, Is.EqualTo("-0.1000000000"), "a deallocation is negative");
            Assert.That(amounts.Pending.Converted, Is.EqualTo("-180.00"));
            Assert.That(amounts.Total.Converted, Is.EqualTo("1800.00"));
            Assert.That(allocation.Payout.AccumulatedReward.Native, Is.EqualTo("0.0001"));
            Assert.That(allocation.Payout.EstimatedReward.Converted, Is.EqualTo("0.54"));
            Assert.That(allocation.Payout.PeriodStart, Is.EqualTo(Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))));
            Assert.That(allocation.Payout.PeriodEnd, Is.Null, "Kraken's \"0\" is no time");
            Assert.That(allocation.TotalRewarded.Converted, Is.EqualTo("18.00"));
        });
    }

    // ---- Earn (de)allocation answers ------------------------------------------------------------------------

    [Test]
    public void AllocateAndDeallocate_TrueAnswer_IsAccepted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Map("Earn_Allocate", FundingMapping.ToAllocateEarnFunds).Accepted, Is.True);
            Assert.That(Map("Earn_Deallocate", FundingMapping.ToDeallocateEarnFunds).Accepted, Is.True);
        });
    }

    [Test]
    public void AllocateAndDeallocate_NullAnswerWithoutError_IsAccepted_SoTheCallerDoesNotMoveTheMoneyTwice()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MapJson("null", FundingMapping.ToAllocateEarnFunds).Accepted, Is.True);
            Assert.That(MapJson("null", FundingMapping.ToDeallocateEarnFunds).Accepted, Is.True);
            Assert.That(MapJson("false", FundingMapping.ToAllocateEarnFunds).Accepted, Is.False);
        });
    }

    [Test]
    public void AllocationStatuses_ReadPending_AndANullAnswerIsNotPending()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Map("Earn_AllocateStatus", FundingMapping.ToEarnAllocationStatus).Pending, Is.False);
            Assert.That(Map("Earn_DeallocateStatus", FundingMapping.ToEarnDeallocationStatus).Pending, Is.False);
            Assert.That(MapJson("""{"pending":true}""", FundingMapping.ToEarnAllocationStatus).Pending, Is.True);
            Assert.That(MapJson("""{"pending":true}""", FundingMapping.ToEarnDeallocationStatus).Pending, Is.True);
            Assert.That(MapJson("null", FundingMapping.ToEarnAllocationStatus).Pending, Is.False);
        });
    }
}
