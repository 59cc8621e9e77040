using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Server.Validation;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Mapping;

/// <summary>
/// What FundingService sends Kraken: the exact form body of each call, every input the gateway refuses
/// (INVALID_ARGUMENT with one BadRequest field violation per problem) before anything is sent, and the catalogue
/// rows that keep money movements from ever being sent twice.
/// </summary>
public class FundingParametersTests
{
    private const string RefId = "FTQcuak-V6Za8qrWnhzTx67yYHz8Tg";
    private const string StrategyId = "ESRFUO3-Q62XD-WIOIL7";
    private const RebaseMultiplier UnknownRebase = (RebaseMultiplier)9;

    private static string Form(KrakenParameters parameters) => KrakenRequestEncoder.EncodeForm(parameters);

    // ---- Deposits -------------------------------------------------------------------------------------------

    [Test]
    public void DepositMethods_SendsAssetAclassRebaseMultiplierAndOtp_AndOnlyTheAssetWhenNothingElseIsSet()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetDepositMethodsRequest { Asset = "XBT", Aclass = "currency", RebaseMultiplier = RebaseMultiplier.Base, Otp = "123456" })),
                Is.EqualTo("asset=XBT&aclass=currency&rebase_multiplier=base&otp=123456"));
            Assert.That(Form(FundingMapping.Parameters(new GetDepositMethodsRequest { Asset = "XBT" })), Is.EqualTo("asset=XBT"));
        });
    }

    [Test]
    public void DepositAddresses_SendsNewOnlyWhenSet_AsKrakensBooleanText()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Aclass = "currency", Method = "Bitcoin", New = true, Otp = "1" })),
                Is.EqualTo("asset=XBT&aclass=currency&method=Bitcoin&new=true&otp=1"));
            Assert.That(Form(FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin", New = false })),
                Is.EqualTo("asset=XBT&method=Bitcoin&new=false"));
            Assert.That(Form(FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin" })),
                Is.EqualTo("asset=XBT&method=Bitcoin"));
        });
    }

    [Test]
    public void DepositAddresses_ForBitcoinLightning_SendsTheInvoiceAmountTextUnchanged()
    {
        var parameters = FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin Lightning", Amount = "0.00100000" });

        Assert.That(Form(parameters), Is.EqualTo("asset=XBT&method=Bitcoin%20Lightning&amount=0.00100000"));
    }

    [Test]
    public void DepositAddresses_GeneratingANewAddress_IsAWriteThatIsNeverResent_WhileListingStaysARetryableRead()
    {
        var generating = FundingMapping.Endpoint(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin", New = true });
        var listing = FundingMapping.Endpoint(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin" });
        var explicitlyNotNew = FundingMapping.Endpoint(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin", New = false });

        Assert.Multiple(() =>
        {
            Assert.That(generating.IsRetryable, Is.False);
            Assert.That(generating.Path, Is.EqualTo(KrakenEndpoints.DepositAddresses.Path));
            Assert.That(generating.Name, Is.EqualTo(KrakenEndpoints.DepositAddresses.Name));
            Assert.That(generating.CounterCost, Is.EqualTo(KrakenEndpoints.DepositAddresses.CounterCost));
            Assert.That(listing, Is.SameAs(KrakenEndpoints.DepositAddresses));
            Assert.That(listing.IsRetryable, Is.True);
            Assert.That(explicitlyNotNew, Is.SameAs(KrakenEndpoints.DepositAddresses));
        });
    }

    [Test]
    public void DepositsStatus_SendsEveryFilter_TimesAsWholeUnixSeconds_AndCursorTrueToStartPaging()
    {
        var parameters = FundingMapping.Parameters(new GetDepositsStatusRequest
        {
            Asset = "XBT",
            Aclass = "currency",
            Method = "Bitcoin",
            Start = new Timestamp { Seconds = 1688992722 },
            End = new Timestamp { Seconds = 1688999999 },
            Paginate = true,
            Limit = 10,
            RebaseMultiplier = RebaseMultiplier.Rebased,
            Otp = "2",
        });

        Assert.That(Form(parameters), Is.EqualTo(
            "asset=XBT&aclass=currency&method=Bitcoin&start=1688992722&end=1688999999&cursor=true&limit=10&rebase_multiplier=rebased&otp=2"));
    }

    [Test]
    public void DepositsStatus_TheCursorOneof_SendsFalseOrTheNextPageCursor_AndNothingWhenUnset()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetDepositsStatusRequest { Paginate = false })), Is.EqualTo("cursor=false"));
            Assert.That(Form(FundingMapping.Parameters(new GetDepositsStatusRequest { NextCursor = "MTY4ODk5MjcyMg==", Limit = 25 })),
                Is.EqualTo("cursor=MTY4ODk5MjcyMg%3D%3D&limit=25"));
            Assert.That(Form(FundingMapping.Parameters(new GetDepositsStatusRequest())), Is.Empty);
        });
    }

    [Test]
    public void HistoryTimeWindows_WithFractionsOfASecond_AreWidenedToWholeSeconds_NeverNarrowed()
    {
        var start = new Timestamp { Seconds = 1688992722, Nanos = 999_000_000 };
        var end = new Timestamp { Seconds = 1688999999, Nanos = 1 };

        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetDepositsStatusRequest { Start = start, End = end })),
                Is.EqualTo("start=1688992722&end=1689000000"));
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalsStatusRequest { Start = start, End = end })),
                Is.EqualTo("start=1688992722&end=1689000000"));
        });
    }

    // ---- Withdrawals ----------------------------------------------------------------------------------------

    [Test]
    public void WithdrawalMethods_SendsEveryFilterWhenSet_AndNothingOtherwise()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalMethodsRequest
            {
                Asset = "XBT", Aclass = "currency", Network = "Lightning", RebaseMultiplier = RebaseMultiplier.Base, Otp = "3",
            })), Is.EqualTo("asset=XBT&aclass=currency&network=Lightning&rebase_multiplier=base&otp=3"));
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalMethodsRequest())), Is.Empty);
        });
    }

    [Test]
    public void WithdrawalAddresses_SendsEveryFilter_VerifiedFalseIncluded()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalAddressesRequest
            {
                Asset = "XBT", Aclass = "currency", Method = "Bitcoin", Key = "btc-wallet-1", Verified = false, Otp = "4",
            })), Is.EqualTo("asset=XBT&aclass=currency&method=Bitcoin&key=btc-wallet-1&verified=false&otp=4"));
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalAddressesRequest { Verified = true })), Is.EqualTo("verified=true"));
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalAddressesRequest())), Is.Empty);
        });
    }

    [Test]
    public void WithdrawalInfo_SendsAssetKeyAndTheAmountTextUnchanged()
    {
        var parameters = FundingMapping.Parameters(new GetWithdrawalInfoRequest { Asset = "XBT", Key = "btc-wallet-1", Amount = "0.72505000", Otp = "5" });

        Assert.That(Form(parameters), Is.EqualTo("asset=XBT&key=btc-wallet-1&amount=0.72505000&otp=5"));
    }

    [Test]
    public void SubmitWithdrawal_SendsEveryField_AmountAndMaxFeeTextUnchanged()
    {
        var parameters = FundingMapping.Parameters(new SubmitWithdrawalRequest
        {
            Asset = "XBT",
            Aclass = "currency",
            Key = "btc-wallet-1",
            Address = "bc1qxdsh4sdd29h6ldehz0se5c61asq8cgwyjf2y3z",
            Amount = "0.72505000",
            MaxFee = "0.00020000",
            RebaseMultiplier = RebaseMultiplier.Rebased,
            Otp = "6",
        });

        Assert.That(Form(parameters), Is.EqualTo(
            "asset=XBT&aclass=currency&key=btc-wallet-1&address=bc1qxdsh4sdd29h6ldehz0se5c61asq8cgwyjf2y3z&amount=0.72505000&max_fee=0.00020000&rebase_multiplier=rebased&otp=6"));
    }

    [Test]
    public void SubmitWithdrawal_WithOnlyTheRequiredFields_SendsAssetKeyAndAmount_AndAZeroMaxFeeIsAFeeFreeCeiling()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new SubmitWithdrawalRequest { Asset = "XBT", Key = "btc-wallet-1", Amount = "1" })),
                Is.EqualTo("asset=XBT&key=btc-wallet-1&amount=1"));
            Assert.That(Form(FundingMapping.Parameters(new SubmitWithdrawalRequest { Asset = "XBT", Key = "btc-wallet-1", Amount = "1", MaxFee = "0" })),
                Is.EqualTo("asset=XBT&key=btc-wallet-1&amount=1&max_fee=0"));
        });
    }

    [Test]
    public void WithdrawalsStatus_SendsEveryFilterAndTheCursor()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalsStatusRequest
            {
                Asset = "XBT",
                Aclass = "currency",
                Method = "Bitcoin",
                Start = new Timestamp { Seconds = 1688014586 },
                End = new Timestamp { Seconds = 1688015423 },
                Paginate = true,
                Limit = 500,
                RebaseMultiplier = RebaseMultiplier.Base,
                Otp = "7",
            })), Is.EqualTo("asset=XBT&aclass=currency&method=Bitcoin&start=1688014586&end=1688015423&cursor=true&limit=500&rebase_multiplier=base&otp=7"));
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalsStatusRequest { NextCursor = "Mg==" })), Is.EqualTo("cursor=Mg%3D%3D"));
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalsStatusRequest { Paginate = false })), Is.EqualTo("cursor=false"));
            Assert.That(Form(FundingMapping.Parameters(new GetWithdrawalsStatusRequest())), Is.Empty);
        });
    }

    [Test]
    public void CancelWithdrawal_SendsAssetAndRefid()
    {
        Assert.That(Form(FundingMapping.Parameters(new CancelWithdrawalRequest { Asset = "XBT", Refid = RefId, Otp = "8" })),
            Is.EqualTo($"asset=XBT&refid={RefId}&otp=8"));
    }

    [Test]
    public void TransferToFutures_SendsAssetWalletsAndTheAmountTextUnchanged()
    {
        var parameters = FundingMapping.Parameters(new SubmitTransferToFuturesRequest
        {
            Asset = "XBT", From = "Spot Wallet", To = "Futures Wallet", Amount = "0.50000000", Otp = "9",
        });

        Assert.That(Form(parameters), Is.EqualTo("asset=XBT&from=Spot%20Wallet&to=Futures%20Wallet&amount=0.50000000&otp=9"));
    }

    // ---- Earn -----------------------------------------------------------------------------------------------

    [Test]
    public void EarnStrategies_SendsEveryFilter_LockTypesAsKrakensWordsInOneList()
    {
        var parameters = FundingMapping.Parameters(new GetEarnStrategiesRequest
        {
            Ascending = true,
            Asset = "DOT",
            Cursor = "2",
            Limit = FundingMapping.MaxEarnPageSize,
            LockType = { EarnLockType.Bonded, EarnLockType.Instant },
            Otp = "10",
        });

        Assert.That(Form(parameters), Is.EqualTo("ascending=true&asset=DOT&cursor=2&limit=65535&lock_type=bonded%2Cinstant&otp=10"));
    }

    [TestCase(EarnLockType.Flex, "lock_type=flex")]
    [TestCase(EarnLockType.Bonded, "lock_type=bonded")]
    [TestCase(EarnLockType.Timed, "lock_type=timed")]
    [TestCase(EarnLockType.Instant, "lock_type=instant")]
    public void EarnStrategies_EachLockType_IsSentAsKrakensWord(EarnLockType lockType, string expected)
    {
        Assert.That(Form(FundingMapping.Parameters(new GetEarnStrategiesRequest { LockType = { lockType } })), Is.EqualTo(expected));
    }

    [Test]
    public void EarnStrategiesAndAllocations_WithNothingSet_SendNothing_AndAscendingFalseIsSent()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetEarnStrategiesRequest())), Is.Empty);
            Assert.That(Form(FundingMapping.Parameters(new GetEarnStrategiesRequest { Ascending = false, Limit = 1 })), Is.EqualTo("ascending=false&limit=1"));
            Assert.That(Form(FundingMapping.Parameters(new GetEarnAllocationsRequest())), Is.Empty);
        });
    }

    [Test]
    public void EarnAllocations_SendsAscendingConvertedAssetAndHideZeroAllocations()
    {
        var parameters = FundingMapping.Parameters(new GetEarnAllocationsRequest { Ascending = false, ConvertedAsset = "EUR", HideZeroAllocations = true, Otp = "11" });

        Assert.That(Form(parameters), Is.EqualTo("ascending=false&converted_asset=EUR&hide_zero_allocations=true&otp=11"));
    }

    [Test]
    public void AllocateAndDeallocate_SendTheAmountTextUnchangedAndTheStrategy()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new AllocateEarnFundsRequest { Amount = "10.5000000000", StrategyId = StrategyId, Otp = "12" })),
                Is.EqualTo($"amount=10.5000000000&strategy_id={StrategyId}&otp=12"));
            Assert.That(Form(FundingMapping.Parameters(new DeallocateEarnFundsRequest { Amount = "0.01", StrategyId = StrategyId })),
                Is.EqualTo($"amount=0.01&strategy_id={StrategyId}"));
        });
    }

    [Test]
    public void AllocationStatuses_SendTheStrategy()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(FundingMapping.Parameters(new GetEarnAllocationStatusRequest { StrategyId = StrategyId, Otp = "13" })),
                Is.EqualTo($"strategy_id={StrategyId}&otp=13"));
            Assert.That(Form(FundingMapping.Parameters(new GetEarnDeallocationStatusRequest { StrategyId = StrategyId })),
                Is.EqualTo($"strategy_id={StrategyId}"));
        });
    }

    // ---- Refused before anything reaches Kraken -------------------------------------------------------------

    private static IEnumerable<TestCaseData> InvalidRequests()
    {
        // Deposits.
        yield return Invalid("GetDepositMethods_NoAsset", "asset", () => FundingMapping.Parameters(new GetDepositMethodsRequest()));
        yield return Invalid("GetDepositMethods_BlankAsset", "asset", () => FundingMapping.Parameters(new GetDepositMethodsRequest { Asset = " " }));
        yield return Invalid("GetDepositMethods_UnknownRebaseMultiplier", "rebase_multiplier", () => FundingMapping.Parameters(new GetDepositMethodsRequest { Asset = "XBT", RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetDepositAddresses_NoAsset", "asset", () => FundingMapping.Parameters(new GetDepositAddressesRequest { Method = "Bitcoin" }));
        yield return Invalid("GetDepositAddresses_NoMethod", "method", () => FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT" }));
        yield return Invalid("GetDepositAddresses_LightningWithoutAmount", "amount", () => FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin Lightning" }));
        yield return Invalid("GetDepositAddresses_ZeroAmount", "amount", () => FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin Lightning", Amount = "0.0" }));
        yield return Invalid("GetDepositAddresses_ExponentAmount", "amount", () => FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin Lightning", Amount = "1e-3" }));
        yield return Invalid("GetDepositsStatus_StartBefore1970", "start", () => FundingMapping.Parameters(new GetDepositsStatusRequest { Start = new Timestamp { Seconds = -5 } }));
        yield return Invalid("GetDepositsStatus_EndBeforeStart", "end", () => FundingMapping.Parameters(new GetDepositsStatusRequest
        {
            Start = new Timestamp { Seconds = 1688999999 }, End = new Timestamp { Seconds = 1688992722 },
        }));
        yield return Invalid("GetDepositsStatus_EmptyNextCursor", "next_cursor", () => FundingMapping.Parameters(new GetDepositsStatusRequest { NextCursor = "" }));
        yield return Invalid("GetDepositsStatus_BlankNextCursor", "next_cursor", () => FundingMapping.Parameters(new GetDepositsStatusRequest { NextCursor = "  " }));
        yield return Invalid("GetDepositsStatus_ZeroLimit", "limit", () => FundingMapping.Parameters(new GetDepositsStatusRequest { Paginate = true, Limit = 0 }));
        yield return Invalid("GetDepositsStatus_NegativeLimit", "limit", () => FundingMapping.Parameters(new GetDepositsStatusRequest { Paginate = true, Limit = -25 }));
        yield return Invalid("GetDepositsStatus_LimitWithPaginationSwitchedOff", "limit", () => FundingMapping.Parameters(new GetDepositsStatusRequest { Paginate = false, Limit = 10 }));
        yield return Invalid("GetDepositsStatus_UnknownRebaseMultiplier", "rebase_multiplier", () => FundingMapping.Parameters(new GetDepositsStatusRequest { RebaseMultiplier = UnknownRebase }));

        // Withdrawals.
        yield return Invalid("GetWithdrawalMethods_UnknownRebaseMultiplier", "rebase_multiplier", () => FundingMapping.Parameters(new GetWithdrawalMethodsRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetWithdrawalInfo_NoAsset", "asset", () => FundingMapping.Parameters(new GetWithdrawalInfoRequest { Key = "k", Amount = "1" }));
        yield return Invalid("GetWithdrawalInfo_NoKey", "key", () => FundingMapping.Parameters(new GetWithdrawalInfoRequest { Asset = "XBT", Amount = "1" }));
        yield return Invalid("GetWithdrawalInfo_NoAmount", "amount", () => FundingMapping.Parameters(new GetWithdrawalInfoRequest { Asset = "XBT", Key = "k" }));
        yield return Invalid("GetWithdrawalInfo_NegativeAmount", "amount", () => FundingMapping.Parameters(new GetWithdrawalInfoRequest { Asset = "XBT", Key = "k", Amount = "-1" }));
        yield return Invalid("SubmitWithdrawal_NoAsset", "asset", () => FundingMapping.Parameters(Withdrawal(w => w.Asset = "")));
        yield return Invalid("SubmitWithdrawal_NoKey", "key", () => FundingMapping.Parameters(Withdrawal(w => w.Key = "")));
        yield return Invalid("SubmitWithdrawal_NoAmount", "amount", () => FundingMapping.Parameters(Withdrawal(w => w.Amount = "")));
        yield return Invalid("SubmitWithdrawal_ZeroAmount", "amount", () => FundingMapping.Parameters(Withdrawal(w => w.Amount = "0")));
        yield return Invalid("SubmitWithdrawal_ZeroAmountWithDecimals", "amount", () => FundingMapping.Parameters(Withdrawal(w => w.Amount = "0.00000000")));
        yield return Invalid("SubmitWithdrawal_NegativeAmount", "amount", () => FundingMapping.Parameters(Withdrawal(w => w.Amount = "-0.5")));
        yield return Invalid("SubmitWithdrawal_ExponentAmount", "amount", () => FundingMapping.Parameters(Withdrawal(w => w.Amount = "1e5")));
        yield return Invalid("SubmitWithdrawal_CommaDecimalAmount", "amount", () => FundingMapping.Parameters(Withdrawal(w => w.Amount = "0,5")));
        yield return Invalid("SubmitWithdrawal_AmountWithSpaces", "amount", () => FundingMapping.Parameters(Withdrawal(w => w.Amount = " 0.5")));
        yield return Invalid("SubmitWithdrawal_NegativeMaxFee", "max_fee", () => FundingMapping.Parameters(Withdrawal(w => w.MaxFee = "-0.0001")));
        yield return Invalid("SubmitWithdrawal_ExponentMaxFee", "max_fee", () => FundingMapping.Parameters(Withdrawal(w => w.MaxFee = "2e-4")));
        yield return Invalid("SubmitWithdrawal_UnknownRebaseMultiplier", "rebase_multiplier", () => FundingMapping.Parameters(Withdrawal(w => w.RebaseMultiplier = UnknownRebase)));
        yield return Invalid("GetWithdrawalsStatus_StartBefore1970", "start", () => FundingMapping.Parameters(new GetWithdrawalsStatusRequest { Start = new Timestamp { Seconds = 0 } }));
        yield return Invalid("GetWithdrawalsStatus_EndEqualToStart_MatchesNothing", "end", () => FundingMapping.Parameters(new GetWithdrawalsStatusRequest
        {
            Start = new Timestamp { Seconds = 1688014586 }, End = new Timestamp { Seconds = 1688014586 },
        }));
        yield return Invalid("GetWithdrawalsStatus_EmptyNextCursor", "next_cursor", () => FundingMapping.Parameters(new GetWithdrawalsStatusRequest { NextCursor = "" }));
        yield return Invalid("GetWithdrawalsStatus_ZeroLimit", "limit", () => FundingMapping.Parameters(new GetWithdrawalsStatusRequest { Paginate = true, Limit = 0 }));
        yield return Invalid("GetWithdrawalsStatus_LimitWithPaginationSwitchedOff", "limit", () => FundingMapping.Parameters(new GetWithdrawalsStatusRequest { Paginate = false, Limit = 500 }));
        yield return Invalid("GetWithdrawalsStatus_UnknownRebaseMultiplier", "rebase_multiplier", () => FundingMapping.Parameters(new GetWithdrawalsStatusRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("CancelWithdrawal_NoAsset", "asset", () => FundingMapping.Parameters(new CancelWithdrawalRequest { Refid = RefId }));
        yield return Invalid("CancelWithdrawal_NoRefid", "refid", () => FundingMapping.Parameters(new CancelWithdrawalRequest { Asset = "XBT" }));
        yield return Invalid("SubmitTransferToFutures_NoAsset", "asset", () => FundingMapping.Parameters(Transfer(t => t.Asset = "")));
        yield return Invalid("SubmitTransferToFutures_NoSourceWallet", "from", () => FundingMapping.Parameters(Transfer(t => t.From = "")));
        yield return Invalid("SubmitTransferToFutures_NoDestinationWallet", "to", () => FundingMapping.Parameters(Transfer(t => t.To = "")));
        yield return Invalid("SubmitTransferToFutures_SameWalletBothWays", "to", () => FundingMapping.Parameters(Transfer(t => t.To = "spot wallet")));
        yield return Invalid("SubmitTransferToFutures_NoAmount", "amount", () => FundingMapping.Parameters(Transfer(t => t.Amount = "")));
        yield return Invalid("SubmitTransferToFutures_ZeroAmount", "amount", () => FundingMapping.Parameters(Transfer(t => t.Amount = "0.0")));
        yield return Invalid("SubmitTransferToFutures_NegativeAmount", "amount", () => FundingMapping.Parameters(Transfer(t => t.Amount = "-1")));
        yield return Invalid("SubmitTransferToFutures_ExponentAmount", "amount", () => FundingMapping.Parameters(Transfer(t => t.Amount = "1e5")));

        // Earn.
        yield return Invalid("GetEarnStrategies_ZeroLimit", "limit", () => FundingMapping.Parameters(new GetEarnStrategiesRequest { Limit = 0 }));
        yield return Invalid("GetEarnStrategies_LimitAboveAnUnsigned16BitNumber", "limit", () => FundingMapping.Parameters(new GetEarnStrategiesRequest { Limit = 65536 }));
        yield return Invalid("GetEarnStrategies_NegativeLimit", "limit", () => FundingMapping.Parameters(new GetEarnStrategiesRequest { Limit = -1 }));
        yield return Invalid("GetEarnStrategies_UnspecifiedLockType", "lock_type[1]", () => FundingMapping.Parameters(new GetEarnStrategiesRequest { LockType = { EarnLockType.Bonded, EarnLockType.Unspecified } }));
        yield return Invalid("GetEarnStrategies_UndefinedLockType", "lock_type[0]", () => FundingMapping.Parameters(new GetEarnStrategiesRequest { LockType = { (EarnLockType)9 } }));
        yield return Invalid("AllocateEarnFunds_NoAmount", "amount", () => FundingMapping.Parameters(new AllocateEarnFundsRequest { StrategyId = StrategyId }));
        yield return Invalid("AllocateEarnFunds_ZeroAmount", "amount", () => FundingMapping.Parameters(new AllocateEarnFundsRequest { StrategyId = StrategyId, Amount = "0" }));
        yield return Invalid("AllocateEarnFunds_NegativeAmount", "amount", () => FundingMapping.Parameters(new AllocateEarnFundsRequest { StrategyId = StrategyId, Amount = "-10" }));
        yield return Invalid("AllocateEarnFunds_ExponentAmount", "amount", () => FundingMapping.Parameters(new AllocateEarnFundsRequest { StrategyId = StrategyId, Amount = "1e5" }));
        yield return Invalid("AllocateEarnFunds_NoStrategy", "strategy_id", () => FundingMapping.Parameters(new AllocateEarnFundsRequest { Amount = "1" }));
        yield return Invalid("DeallocateEarnFunds_NoAmount", "amount", () => FundingMapping.Parameters(new DeallocateEarnFundsRequest { StrategyId = StrategyId }));
        yield return Invalid("DeallocateEarnFunds_ZeroAmount", "amount", () => FundingMapping.Parameters(new DeallocateEarnFundsRequest { StrategyId = StrategyId, Amount = "0.000" }));
        yield return Invalid("DeallocateEarnFunds_NegativeAmount", "amount", () => FundingMapping.Parameters(new DeallocateEarnFundsRequest { StrategyId = StrategyId, Amount = "-0.1" }));
        yield return Invalid("DeallocateEarnFunds_ExponentAmount", "amount", () => FundingMapping.Parameters(new DeallocateEarnFundsRequest { StrategyId = StrategyId, Amount = "1e5" }));
        yield return Invalid("DeallocateEarnFunds_NoStrategy", "strategy_id", () => FundingMapping.Parameters(new DeallocateEarnFundsRequest { Amount = "1" }));
        yield return Invalid("GetEarnAllocationStatus_NoStrategy", "strategy_id", () => FundingMapping.Parameters(new GetEarnAllocationStatusRequest()));
        yield return Invalid("GetEarnDeallocationStatus_NoStrategy", "strategy_id", () => FundingMapping.Parameters(new GetEarnDeallocationStatusRequest()));
    }

    private static SubmitWithdrawalRequest Withdrawal(Action<SubmitWithdrawalRequest> change)
    {
        var request = new SubmitWithdrawalRequest { Asset = "XBT", Key = "btc-wallet-1", Amount = "0.72505000" };
        change(request);
        return request;
    }

    private static SubmitTransferToFuturesRequest Transfer(Action<SubmitTransferToFuturesRequest> change)
    {
        var request = new SubmitTransferToFuturesRequest { Asset = "XBT", From = "Spot Wallet", To = "Futures Wallet", Amount = "0.5" };
        change(request);
        return request;
    }

    private static TestCaseData Invalid(string name, string field, Func<KrakenParameters> parameters) =>
        new TestCaseData(field, parameters).SetName($"{name}_IsRefusedAsInvalidArgument_Naming({field})");

    [TestCaseSource(nameof(InvalidRequests))]
    public void InvalidRequest_IsRefusedWithAFieldViolation_BeforeAnyParameterIsBuilt(string field, Func<KrakenParameters> parameters)
    {
        var failure = Assert.Throws<RpcException>(() => parameters())!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo(RequestValidation.Reason));
            Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Does.Contain(field));
        });
    }

    [Test]
    public void SubmitWithdrawal_WithEveryRequiredFieldMissing_NamesThemAllAtOnce()
    {
        var failure = Assert.Throws<RpcException>(() => FundingMapping.Parameters(new SubmitWithdrawalRequest()))!;

        Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Is.EquivalentTo(new[] { "asset", "key", "amount" }));
    }

    [Test]
    public void TransferToFutures_WithEveryRequiredFieldMissing_NamesThemAllAtOnce()
    {
        var failure = Assert.Throws<RpcException>(() => FundingMapping.Parameters(new SubmitTransferToFuturesRequest()))!;

        Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Is.EquivalentTo(new[] { "asset", "from", "to", "amount" }));
    }

    [Test]
    public void DepositAddresses_AnAmountForAnotherMethod_IsPassedOnForKrakenToJudge()
    {
        Assert.That(Form(FundingMapping.Parameters(new GetDepositAddressesRequest { Asset = "XBT", Method = "Bitcoin", Amount = "0.1" })),
            Is.EqualTo("asset=XBT&method=Bitcoin&amount=0.1"));
    }

    // ---- Money movement is never repeated by the gateway ----------------------------------------------------

    private static IEnumerable<TestCaseData> MoneyMovements()
    {
        yield return new TestCaseData(KrakenEndpoints.Withdraw).SetName("SubmitWithdrawal_CallsWithdraw_AWriteThatIsNeverRetried");
        yield return new TestCaseData(KrakenEndpoints.WithdrawCancel).SetName("CancelWithdrawal_CallsWithdrawCancel_AWriteThatIsNeverRetried");
        yield return new TestCaseData(KrakenEndpoints.WalletTransfer).SetName("SubmitTransferToFutures_CallsWalletTransfer_AWriteThatIsNeverRetried");
        yield return new TestCaseData(KrakenEndpoints.EarnAllocate).SetName("AllocateEarnFunds_CallsEarnAllocate_AWriteThatIsNeverRetried");
        yield return new TestCaseData(KrakenEndpoints.EarnDeallocate).SetName("DeallocateEarnFunds_CallsEarnDeallocate_AWriteThatIsNeverRetried");
        yield return new TestCaseData(KrakenEndpoints.NewDepositAddress).SetName("GetDepositAddressesWithNew_GeneratesAnAddress_AWriteThatIsNeverRetried");
    }

    [TestCaseSource(nameof(MoneyMovements))]
    public void MoneyMovement_IsACatalogueWrite_SoTheTransportNeverResendsIt(KrakenEndpoint endpoint)
    {
        Assert.Multiple(() =>
        {
            Assert.That(endpoint.Writes, Is.True);
            Assert.That(endpoint.IsRetryable, Is.False);
            Assert.That(endpoint.Auth, Is.EqualTo(EndpointAuth.ApiKeySignature));
        });
    }

    [Test]
    public void FundingReads_StayRetryable_SoOnlyMoneyMovementsAreProtected()
    {
        KrakenEndpoint[] reads =
        [
            KrakenEndpoints.DepositMethods, KrakenEndpoints.DepositAddresses, KrakenEndpoints.DepositStatus, KrakenEndpoints.WithdrawMethods,
            KrakenEndpoints.WithdrawAddresses, KrakenEndpoints.WithdrawInfo, KrakenEndpoints.WithdrawStatus, KrakenEndpoints.EarnStrategies,
            KrakenEndpoints.EarnAllocations, KrakenEndpoints.EarnAllocateStatus, KrakenEndpoints.EarnDeallocateStatus,
        ];

        Assert.That(reads.Where(endpoint => !endpoint.IsRetryable).Select(endpoint => endpoint.Name), Is.Empty);
    }

    // ---- The service ----------------------------------------------------------------------------------------

    [Test]
    public void FundingService_ImplementsEveryRpc()
    {
        var rpcs = FundingService.Descriptor.Methods.Select(m => m.Name).ToList();
        var implemented = typeof(KrakenGrpc.Server.Services.FundingService)
            .GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Select(m => m.Name)
            .ToList();

        Assert.That(implemented, Is.EquivalentTo(rpcs));
    }
}
