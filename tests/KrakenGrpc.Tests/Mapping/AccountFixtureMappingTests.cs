using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Responses;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Mapping;

/// <summary>
/// AccountService's mappings: every account fixture Kraken documents mapped with nothing lost and nothing
/// reformatted, and every request turned into exactly the parameters Kraken expects, or refused before it is sent.
/// </summary>
public partial class AccountFixtureMappingTests
{
    // Per fixture: the mapping, and the keys whose digits become typed fields (times, counts, ids that are numbers,
    // the nonce) rather than text; those are asserted one by one below.
    private static readonly (string Fixture, Func<JsonElement, IMessage> Map, string[] TypedKeys)[] Mappings =
    [
        ("Balance", r => AccountMapping.ToAccountBalance(r), []),
        ("BalanceEx", r => AccountMapping.ToExtendedBalance(r), []),
        ("CreditLines", r => AccountMapping.ToCreditLines(r), []),
        ("TradeBalance", r => AccountMapping.ToTradeBalance(r), []),
        ("OpenPositions", r => AccountMapping.ToOpenPositions(r), ["time", "rollovertm"]),
        ("TradesHistory", r => AccountMapping.ToTradesHistory(r), ["time", "trade_id"]),
        ("QueryTrades", r => AccountMapping.ToTrades(r), ["time", "trade_id"]),
        ("Ledgers", r => AccountMapping.ToLedgersInfo(r), ["time", "count"]),
        ("QueryLedgers", r => AccountMapping.ToLedgers(r), ["time"]),
        ("TradeVolume", r => AccountMapping.ToTradingVolume(r), []),
        ("AddExport", r => AccountMapping.ToRequestLedgersExport(r), []),
        ("ExportStatus", r => AccountMapping.ToLedgersExportStatus(r), ["createdtm", "expiretm", "starttm", "completedtm", "datastarttm", "dataendtm"]),
        ("RemoveExport", r => AccountMapping.ToDeleteLedgersExport(r), []),
        ("GetWebSocketsToken", r => AccountMapping.ToWebSocketsToken(r), ["expires"]),
        ("GetApiKeyInfo", r => AccountMapping.ToApiKeyInfo(r), ["nonce", "nonceWindow", "validUntil", "queryFrom", "queryTo", "createdTime", "modifiedTime", "lastUsed"]),
        ("CreateSubaccount", r => AccountMapping.ToCreateSubaccount(r), []),
        ("AccountTransfer", r => AccountMapping.ToSubaccountTransfer(r), []),
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

    // ---- Every fixture: nothing lost, nothing reformatted ---------------------------------------------------

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

    // ---- Balances -------------------------------------------------------------------------------------------

    [Test]
    public void AccountBalance_MapsEveryAsset_IncludingSuffixedEarnBalances()
    {
        var balances = Map("Balance", AccountMapping.ToAccountBalance).Balances;

        Assert.Multiple(() =>
        {
            Assert.That(balances, Has.Count.EqualTo(10));
            Assert.That(balances["XXBT"], Is.EqualTo("1011.1908877900"));
            Assert.That(balances["ZUSD"], Is.EqualTo("171288.6158"));
            Assert.That(balances["ETH2.S"], Is.EqualTo("198.3970800000"));
            Assert.That(balances["USD.M"], Is.EqualTo("1213029.2780"));
        });
    }

    [Test]
    public void ExtendedBalance_WrittenAsJsonNumbers_KeepsTheirExactDigits_AndAbsentCreditIsEmpty()
    {
        var balances = Map("BalanceEx", AccountMapping.ToExtendedBalance).Balances;

        Assert.Multiple(() =>
        {
            Assert.That(balances["XXBT"].Balance, Is.EqualTo("1.24350000"));
            Assert.That(balances["XXBT"].HoldTrade, Is.EqualTo("0.84230000"));
            Assert.That(balances["ZUSD"].Balance, Is.EqualTo("25435.21"));
            Assert.That(balances["ZUSD"].HoldTrade, Is.EqualTo("8249.76"));
            Assert.That(balances["ZUSD"].Credit, Is.Empty);
            Assert.That(balances["ZUSD"].CreditUsed, Is.Empty);
        });
    }

    [Test]
    public void ExtendedBalance_WithACreditLine_MapsCreditAndCreditUsed()
    {
        var balance = MapJson("""{"ZUSD":{"balance":"100.00","credit":"5000.00","credit_used":"250.50","hold_trade":"0.0000"}}""",
            AccountMapping.ToExtendedBalance).Balances["ZUSD"];

        Assert.Multiple(() =>
        {
            Assert.That(balance.Credit, Is.EqualTo("5000.00"));
            Assert.That(balance.CreditUsed, Is.EqualTo("250.50"));
            Assert.That(balance.HoldTrade, Is.EqualTo("0.0000"));
        });
    }

    [Test]
    public void CreditLines_MapsEveryAssetAndTheMonitor()
    {
        var lines = Map("CreditLines", AccountMapping.ToCreditLines);

        Assert.Multiple(() =>
        {
            Assert.That(lines.AssetDetails.Keys, Is.EquivalentTo(new[] { "USD", "EUR" }));
            Assert.That(lines.AssetDetails["USD"].Balance, Is.EqualTo("1000.5000"));
            Assert.That(lines.AssetDetails["USD"].CreditLimit, Is.EqualTo("50000.0000"));
            Assert.That(lines.AssetDetails["USD"].CreditUsed, Is.EqualTo("12500.0000"));
            Assert.That(lines.AssetDetails["EUR"].AvailableCredit, Is.EqualTo("20000.0000"));
            Assert.That(lines.LimitsMonitor.TotalCreditUsd, Is.EqualTo("100000.0000"));
            Assert.That(lines.LimitsMonitor.TotalCreditUsedUsd, Is.EqualTo("25000.0000"));
            Assert.That(lines.LimitsMonitor.TotalCollateralValueUsd, Is.EqualTo("150000.0000"));
            Assert.That(lines.LimitsMonitor.EquityUsd, Is.EqualTo("125000.0000"));
            Assert.That(lines.LimitsMonitor.OngoingBalance, Is.EqualTo("1.5000"));
            Assert.That(lines.LimitsMonitor.DebtToEquity, Is.EqualTo("0.2000"));
        });
    }

    [Test]
    public void CreditLines_WhenKrakenAnswersNull_IsAnEmptyResponse()
    {
        var lines = MapJson("null", AccountMapping.ToCreditLines);

        Assert.Multiple(() =>
        {
            Assert.That(lines.AssetDetails, Is.Empty);
            Assert.That(lines.LimitsMonitor, Is.Null);
        });
    }

    [Test]
    public void CreditLines_MonitorValuesSentAsNull_AreEmpty()
    {
        var monitor = MapJson("""{"asset_details":{},"limits_monitor":{"total_credit_usd":"10.00","ongoing_balance":null,"debt_to_equity":null}}""",
            AccountMapping.ToCreditLines).LimitsMonitor;

        Assert.Multiple(() =>
        {
            Assert.That(monitor.TotalCreditUsd, Is.EqualTo("10.00"));
            Assert.That(monitor.OngoingBalance, Is.Empty);
            Assert.That(monitor.DebtToEquity, Is.Empty);
        });
    }

    [Test]
    public void TradeBalance_MapsEveryOneLetterKeyToItsNamedField()
    {
        var balance = Map("TradeBalance", AccountMapping.ToTradeBalance);

        Assert.Multiple(() =>
        {
            Assert.That(balance.EquivalentBalance, Is.EqualTo("1101.3425"));
            Assert.That(balance.TradeBalance, Is.EqualTo("392.2264"));
            Assert.That(balance.MarginUsed, Is.EqualTo("7.0354"));
            Assert.That(balance.UnrealizedNetProfitLoss, Is.EqualTo("-10.0232"));
            Assert.That(balance.CostBasis, Is.EqualTo("21.1063"));
            Assert.That(balance.FloatingValuation, Is.EqualTo("31.1297"));
            Assert.That(balance.Equity, Is.EqualTo("382.2032"));
            Assert.That(balance.FreeMargin, Is.EqualTo("375.1678"));
            Assert.That(balance.MarginLevel, Is.EqualTo("5432.57"));
            Assert.That(balance.UnexecutedValue, Is.Empty, "uv is absent from the example");
        });
    }

    [Test]
    public void TradeBalance_UnexecutedValue_IsMappedWhenKrakenSendsIt()
    {
        Assert.That(MapJson("""{"eb":"1","uv":"12.5000"}""", AccountMapping.ToTradeBalance).UnexecutedValue, Is.EqualTo("12.5000"));
    }

    // ---- Positions ------------------------------------------------------------------------------------------

    [Test]
    public void OpenPositions_MapsEveryPositionByTxid_WithFractionalOpenTimeAndRolloverTime()
    {
        var positions = Map("OpenPositions", AccountMapping.ToOpenPositions);
        var position = positions.Positions["TF5GVO-T7ZZ2-6NBKBI"];

        Assert.Multiple(() =>
        {
            Assert.That(positions.Positions, Has.Count.EqualTo(5));
            Assert.That(positions.ConsolidatedPositions, Is.Empty);
            Assert.That(position.OrderTxid, Is.EqualTo("OLWNFG-LLH4R-D6SFFP"));
            Assert.That(position.PositionStatus, Is.EqualTo(PositionStatus.Open));
            Assert.That(position.Pair, Is.EqualTo("XXBTZUSD"));
            Assert.That(position.OpenTime, Is.EqualTo(new Timestamp { Seconds = 1605280097, Nanos = 829400000 }));
            Assert.That(position.Side, Is.EqualTo(OrderSide.Buy));
            Assert.That(position.OrderType, Is.EqualTo(OrderType.Limit));
            Assert.That(position.Cost, Is.EqualTo("104610.52842"));
            Assert.That(position.Fee, Is.EqualTo("289.06565"));
            Assert.That(position.Volume, Is.EqualTo("8.82412861"));
            Assert.That(position.VolumeClosed, Is.EqualTo("0.20200000"));
            Assert.That(position.InitialMargin, Is.EqualTo("20922.10568"));
            Assert.That(position.Value, Is.EqualTo("258797.5"));
            Assert.That(position.NetProfitLoss, Is.EqualTo("+154186.9728"));
            Assert.That(position.Terms, Is.EqualTo("0.0100% per 4 hours"));
            Assert.That(position.RolloverTime, Is.EqualTo(new Timestamp { Seconds = 1616672637 }));
            Assert.That(position.MiscInfo, Is.Empty);
            Assert.That(position.OrderFlags, Is.Empty);
            Assert.That(positions.Positions["T4O5L3-4VGS4-IRU2UL"].OpenTime.Nanos, Is.EqualTo(772200000));
        });
    }

    [Test]
    public void OpenPositions_CommaLists_AreSplitIntoWords_AndAnUnknownFlagIsKeptAsUnspecified()
    {
        var position = MapJson("""{"T1":{"posstatus":"open","misc":"closing,touched","oflags":"post,fciq,somenewflag"}}""",
            AccountMapping.ToOpenPositions).Positions["T1"];

        Assert.Multiple(() =>
        {
            Assert.That(position.MiscInfo, Is.EqualTo(new[] { "closing", "touched" }));
            Assert.That(position.OrderFlags, Is.EqualTo(new[] { OrderFlag.Post, OrderFlag.Fciq, OrderFlag.Unspecified }));
        });
    }

    [Test]
    public void OpenPositions_ConsolidatedByMarket_AnswerIsAnArray_MappedToPerPairAggregates()
    {
        var positions = MapJson("""
            [{"pair":"XXBTZUSD","positions":"3","type":"sell","leverage":"5","cost":"104610.52842","fee":"289.06565",
              "vol":"8.82412861","vol_closed":"0.20200000","margin":"20922.10568","value":"258797.5","net":"-154.9728"}]
            """, AccountMapping.ToOpenPositions);
        var aggregate = positions.ConsolidatedPositions.Single();

        Assert.Multiple(() =>
        {
            Assert.That(positions.Positions, Is.Empty);
            Assert.That(aggregate.Pair, Is.EqualTo("XXBTZUSD"));
            Assert.That(aggregate.PositionCount, Is.EqualTo(3));
            Assert.That(aggregate.Side, Is.EqualTo(OrderSide.Sell));
            Assert.That(aggregate.Leverage, Is.EqualTo("5"));
            Assert.That(aggregate.Cost, Is.EqualTo("104610.52842"));
            Assert.That(aggregate.Fee, Is.EqualTo("289.06565"));
            Assert.That(aggregate.Volume, Is.EqualTo("8.82412861"));
            Assert.That(aggregate.VolumeClosed, Is.EqualTo("0.20200000"));
            Assert.That(aggregate.InitialMargin, Is.EqualTo("20922.10568"));
            Assert.That(aggregate.Value, Is.EqualTo("258797.5"));
            Assert.That(aggregate.NetProfitLoss, Is.EqualTo("-154.9728"));
        });
    }

    // ---- Trades ---------------------------------------------------------------------------------------------

    [Test]
    public void TradesHistory_MapsEveryTradeByTxid_WithFractionalTimeTradeIdAndMaker()
    {
        var history = Map("TradesHistory", AccountMapping.ToTradesHistory);
        var trade = history.Trades["THVRQM-33VKH-UCI7BS"];

        Assert.Multiple(() =>
        {
            Assert.That(history.Trades.Keys, Is.EquivalentTo(new[] { "THVRQM-33VKH-UCI7BS", "TCWJEG-FL4SZ-3FKGH6" }));
            Assert.That(history.HasTotalCount, Is.False, "the example carries no count");
            Assert.That(trade.OrderTxid, Is.EqualTo("OQCLML-BW3P3-BUCMWZ"));
            Assert.That(trade.PositionTxid, Is.EqualTo("TKH2SE-M7IF5-CFI7LT"));
            Assert.That(trade.Pair, Is.EqualTo("XXBTZUSD"));
            Assert.That(trade.Time, Is.EqualTo(new Timestamp { Seconds = 1688667796, Nanos = 880200000 }));
            Assert.That(trade.Side, Is.EqualTo(OrderSide.Buy));
            Assert.That(trade.OrderType, Is.EqualTo(OrderType.Limit));
            Assert.That(trade.Price, Is.EqualTo("30010.00000"));
            Assert.That(trade.Cost, Is.EqualTo("600.20000"));
            Assert.That(trade.Fee, Is.EqualTo("0.00000"));
            Assert.That(trade.Volume, Is.EqualTo("0.02000000"));
            Assert.That(trade.InitialMargin, Is.EqualTo("0.00000"));
            Assert.That(trade.MiscInfo, Is.Empty);
            Assert.That(trade.TradeId, Is.EqualTo(40274859));
            Assert.That(trade.Maker, Is.True);
            Assert.That(trade.PositionStatus, Is.EqualTo(PositionStatus.Unspecified));
            Assert.That(history.Trades["TCWJEG-FL4SZ-3FKGH6"].Time.Nanos, Is.EqualTo(639600000));
        });
    }

    [Test]
    public void TradesHistory_Count_IsTheTotalAcrossPages()
    {
        var history = MapJson("""{"trades":{},"count":2346}""", AccountMapping.ToTradesHistory);

        Assert.Multiple(() =>
        {
            Assert.That(history.HasTotalCount, Is.True);
            Assert.That(history.TotalCount, Is.EqualTo(2346));
        });
    }

    [Test]
    public void Trade_ThatOpenedAPosition_MapsTheClosedPartLedgersClosingTradesAndLiveOnlyFields()
    {
        var trade = MapJson("""
            {"T1":{"ordertxid":"O1","postxid":"P1","pair":"XXBTZUSD","time":1688667796.123456789,"type":"sell",
                   "ordertype":"stop-loss","price":"30010.0","cost":"600.2","fee":"1.5","vol":"0.02","margin":"120.04",
                   "leverage":"5","misc":"closing","ledgers":["L1","L2"],"trade_id":1,"maker":false,"posstatus":"closed",
                   "cprice":30011.1,"ccost":"600.22","cfee":"0.10","cvol":"0.02000000","cmargin":"120.04","net":"-0.0200",
                   "trades":["T9","T10"],"aclass":"currency","tradeordertype":"market"}}
            """, AccountMapping.ToTrades).Trades["T1"];

        Assert.Multiple(() =>
        {
            Assert.That(trade.Time, Is.EqualTo(new Timestamp { Seconds = 1688667796, Nanos = 123456789 }));
            Assert.That(trade.Side, Is.EqualTo(OrderSide.Sell));
            Assert.That(trade.OrderType, Is.EqualTo(OrderType.StopLoss));
            Assert.That(trade.Leverage, Is.EqualTo("5"));
            Assert.That(trade.MiscInfo, Is.EqualTo(new[] { "closing" }));
            Assert.That(trade.LedgerIds, Is.EqualTo(new[] { "L1", "L2" }));
            Assert.That(trade.Maker, Is.False);
            Assert.That(trade.PositionStatus, Is.EqualTo(PositionStatus.Closed));
            Assert.That(trade.ClosedAveragePrice, Is.EqualTo("30011.1"), "a JSON number keeps its text");
            Assert.That(trade.ClosedCost, Is.EqualTo("600.22"));
            Assert.That(trade.ClosedFee, Is.EqualTo("0.10"));
            Assert.That(trade.ClosedVolume, Is.EqualTo("0.02000000"));
            Assert.That(trade.ClosedMargin, Is.EqualTo("120.04"));
            Assert.That(trade.ClosedNetProfitLoss, Is.EqualTo("-0.0200"));
            Assert.That(trade.ClosingTradeIds, Is.EqualTo(new[] { "T9", "T10" }));
            Assert.That(trade.AssetClass, Is.EqualTo("currency"));
            Assert.That(trade.TradeOrderType, Is.EqualTo(OrderType.Market));
        });
    }

    [Test]
    public void Trade_WithWordsThisContractDoesNotKnow_MapsThemToUnspecified_InsteadOfFailing()
    {
        var trade = MapJson("""{"T1":{"type":"short","ordertype":"brand-new-type","posstatus":"frozen","time":1}}""", AccountMapping.ToTrades).Trades["T1"];

        Assert.Multiple(() =>
        {
            Assert.That(trade.Side, Is.EqualTo(OrderSide.Unspecified));
            Assert.That(trade.OrderType, Is.EqualTo(OrderType.Unspecified));
            Assert.That(trade.PositionStatus, Is.EqualTo(PositionStatus.Unspecified));
        });
    }

    [Test]
    public void QueryTrades_MapsEveryTradeByTxid()
    {
        var trades = Map("QueryTrades", AccountMapping.ToTrades).Trades;
        var trade = trades["TTEUX3-HDAAA-RC2RUO"];

        Assert.Multiple(() =>
        {
            Assert.That(trades, Has.Count.EqualTo(2));
            Assert.That(trade.OrderTxid, Is.EqualTo("OH76VO-UKWAD-PSBDX6"));
            Assert.That(trade.Pair, Is.EqualTo("XXBTZEUR"));
            Assert.That(trade.Time, Is.EqualTo(new Timestamp { Seconds = 1688082549, Nanos = 313800000 }));
            Assert.That(trade.Price, Is.EqualTo("27732.00000"));
            Assert.That(trade.Cost, Is.EqualTo("0.20020"));
            Assert.That(trade.Volume, Is.EqualTo("0.00020000"));
            Assert.That(trade.TradeId, Is.EqualTo(74625834));
            Assert.That(trade.Maker, Is.True);
            Assert.That(trades["THVRQM-33VKH-UCI7BS"].TradeId, Is.EqualTo(93748276));
        });
    }

    // ---- Ledgers --------------------------------------------------------------------------------------------

    [Test]
    public void Ledgers_MapsEveryEntryById_WithFractionalTimeAndTheTotalCount()
    {
        var ledgers = Map("Ledgers", AccountMapping.ToLedgersInfo);
        var entry = ledgers.LedgerEntries["L4UESK-KG3EQ-UFO4T5"];

        Assert.Multiple(() =>
        {
            Assert.That(ledgers.LedgerEntries.Keys, Is.EquivalentTo(new[] { "L4UESK-KG3EQ-UFO4T5", "LMKZCZ-Z3GVL-CXKK4H" }));
            Assert.That(ledgers.HasTotalCount, Is.True);
            Assert.That(ledgers.TotalCount, Is.EqualTo(2));
            Assert.That(entry.ReferenceId, Is.EqualTo("TJKLXF-PGMUI-4NTLXU"));
            Assert.That(entry.Time, Is.EqualTo(new Timestamp { Seconds = 1688464484, Nanos = 178700000 }));
            Assert.That(entry.Type, Is.EqualTo("trade"));
            Assert.That(entry.Subtype, Is.Empty);
            Assert.That(entry.AssetClass, Is.EqualTo("currency"));
            Assert.That(entry.Asset, Is.EqualTo("ZGBP"));
            Assert.That(entry.Amount, Is.EqualTo("-24.5000"));
            Assert.That(entry.Fee, Is.EqualTo("0.0490"));
            Assert.That(entry.Balance, Is.EqualTo("459567.9171"));
            Assert.That(ledgers.LedgerEntries["LMKZCZ-Z3GVL-CXKK4H"].Time.Nanos, Is.EqualTo(888800000));
        });
    }

    [Test]
    public void Ledgers_WithoutCount_LeavesTheTotalCountUnset()
    {
        Assert.That(MapJson("""{"ledger":{}}""", AccountMapping.ToLedgersInfo).HasTotalCount, Is.False);
    }

    [Test]
    public void QueryLedgers_MapsTheEntryById()
    {
        var entries = Map("QueryLedgers", AccountMapping.ToLedgers).LedgerEntries;

        Assert.Multiple(() =>
        {
            Assert.That(entries.Keys, Is.EqualTo(new[] { "L4UESK-KG3EQ-UFO4T5" }));
            Assert.That(entries["L4UESK-KG3EQ-UFO4T5"].Amount, Is.EqualTo("-24.5000"));
            Assert.That(entries["L4UESK-KG3EQ-UFO4T5"].Time.Seconds, Is.EqualTo(1688464484));
        });
    }

    // ---- Trade volume ---------------------------------------------------------------------------------------

    [Test]
    public void TradeVolume_MapsVolumeAndBothFeeTiers_NullNextTierIsEmpty()
    {
        var volume = Map("TradeVolume", AccountMapping.ToTradingVolume);
        var taker = volume.TakerFees["XXBTZUSD"];
        var maker = volume.MakerFees["XXBTZUSD"];

        Assert.Multiple(() =>
        {
            Assert.That(volume.FeeVolumeCurrency, Is.EqualTo("ZUSD"));
            Assert.That(volume.Volume30D, Is.EqualTo("200709587.4223"));
            Assert.That(taker.Fee, Is.EqualTo("0.1000"));
            Assert.That(taker.MinimumFee, Is.EqualTo("0.1000"));
            Assert.That(taker.MaximumFee, Is.EqualTo("0.2600"));
            Assert.That(taker.NextFee, Is.Empty);
            Assert.That(taker.NextVolume, Is.Empty);
            Assert.That(taker.TierVolume, Is.EqualTo("10000000.0000"));
            Assert.That(maker.Fee, Is.EqualTo("0.0000"));
            Assert.That(maker.MaximumFee, Is.EqualTo("0.1600"));
        });
    }

    [Test]
    public void TradeVolume_SchemaSpellingWithUnderscores_IsReadToo()
    {
        var fee = MapJson("""
            {"currency":"ZUSD","volume":"10.0","fees":{"XETHZUSD":{"fee":"0.2400","min_fee":"0.1000","max_fee":"0.2600",
              "next_fee":"0.2200","next_volume":"50000.0000","tier_volume":"10000.0000"}},"fees_maker":null}
            """, AccountMapping.ToTradingVolume);
        var taker = fee.TakerFees["XETHZUSD"];

        Assert.Multiple(() =>
        {
            Assert.That(taker.Fee, Is.EqualTo("0.2400"));
            Assert.That(taker.MinimumFee, Is.EqualTo("0.1000"));
            Assert.That(taker.MaximumFee, Is.EqualTo("0.2600"));
            Assert.That(taker.NextFee, Is.EqualTo("0.2200"));
            Assert.That(taker.NextVolume, Is.EqualTo("50000.0000"));
            Assert.That(taker.TierVolume, Is.EqualTo("10000.0000"));
            Assert.That(fee.MakerFees, Is.Empty, "fees_maker: null");
        });
    }

    // ---- Exports --------------------------------------------------------------------------------------------

    [Test]
    public void AddExport_ReturnsTheReportId()
    {
        Assert.That(Map("AddExport", AccountMapping.ToRequestLedgersExport).ReportId, Is.EqualTo("TCJA"));
    }

    [Test]
    public void ExportStatus_MapsEveryReport_WithEnumsTimesAndSplitFields()
    {
        var reports = Map("ExportStatus", AccountMapping.ToLedgersExportStatus).Reports;
        var report = reports[0];

        Assert.Multiple(() =>
        {
            Assert.That(reports.Select(r => r.Id), Is.EqualTo(new[] { "VSKC", "TCJA" }));
            Assert.That(report.Description, Is.EqualTo("my_trades_1"));
            Assert.That(report.Format, Is.EqualTo(ExportFileFormat.Csv));
            Assert.That(report.Report, Is.EqualTo(ExportReportKind.Trades));
            Assert.That(report.Subtype, Is.EqualTo("all"));
            Assert.That(report.Status, Is.EqualTo(ExportReportStatus.Processed));
            Assert.That(report.Flags, Is.EqualTo("0"));
            Assert.That(report.Fields, Is.EqualTo(new[] { "all" }));
            Assert.That(report.CreatedTime, Is.EqualTo(new Timestamp { Seconds = 1688669085 }));
            Assert.That(report.ExpireTime, Is.EqualTo(new Timestamp { Seconds = 1688878685 }));
            Assert.That(report.ProcessingStartTime, Is.EqualTo(new Timestamp { Seconds = 1688669093 }));
            Assert.That(report.CompletedTime, Is.EqualTo(new Timestamp { Seconds = 1688669093 }));
            Assert.That(report.DataStartTime, Is.EqualTo(new Timestamp { Seconds = 1683556800 }));
            Assert.That(report.DataEndTime, Is.EqualTo(new Timestamp { Seconds = 1688669085 }));
            Assert.That(report.AssetClass, Is.EqualTo("forex"));
            Assert.That(report.Asset, Is.EqualTo("all"));
            Assert.That(reports[1].CreatedTime.Seconds, Is.EqualTo(1688363637));
        });
    }

    [Test]
    public void ExportStatus_QueuedReport_HasNoStartOrCompletionTime_AndUnknownWordsAreUnspecified()
    {
        var reports = MapJson("""
            [{"id":"A","format":"TSV","report":"ledgers","status":"Queued","fields":"refid,time,amount","createdtm":"1688669085","starttm":"0","completedtm":"0"},
             {"id":"B","format":"XLSX","report":"orders","status":"Archived"}]
            """, AccountMapping.ToLedgersExportStatus).Reports;

        Assert.Multiple(() =>
        {
            Assert.That(reports[0].Format, Is.EqualTo(ExportFileFormat.Tsv));
            Assert.That(reports[0].Report, Is.EqualTo(ExportReportKind.Ledgers));
            Assert.That(reports[0].Status, Is.EqualTo(ExportReportStatus.Queued));
            Assert.That(reports[0].Fields, Is.EqualTo(new[] { "refid", "time", "amount" }));
            Assert.That(reports[0].ProcessingStartTime, Is.Null);
            Assert.That(reports[0].CompletedTime, Is.Null);
            Assert.That(reports[1].Format, Is.EqualTo(ExportFileFormat.Unspecified));
            Assert.That(reports[1].Report, Is.EqualTo(ExportReportKind.Unspecified));
            Assert.That(reports[1].Status, Is.EqualTo(ExportReportStatus.Unspecified));
        });
    }

    [Test]
    public void RemoveExport_OfTypeDelete_SaysDeleted_AndCancelSaysCanceled()
    {
        var deleted = Map("RemoveExport", AccountMapping.ToDeleteLedgersExport);
        var canceled = MapJson("""{"cancel":true}""", AccountMapping.ToDeleteLedgersExport);

        Assert.Multiple(() =>
        {
            Assert.That(deleted.Deleted, Is.True);
            Assert.That(deleted.Canceled, Is.False);
            Assert.That(canceled.Canceled, Is.True);
            Assert.That(canceled.Deleted, Is.False);
        });
    }

    // ---- Token, key info, subaccounts -----------------------------------------------------------------------

    [Test]
    public void WebSocketsToken_MapsTheTokenAndItsLifetimeAsADuration()
    {
        var token = Map("GetWebSocketsToken", AccountMapping.ToWebSocketsToken);

        Assert.Multiple(() =>
        {
            Assert.That(token.Token, Is.EqualTo("1Dwc4lzSwNWOAwkMdqhssNNFhs1ed606d1WcF3XfEMw"));
            Assert.That(token.ExpiresIn, Is.EqualTo(Duration.FromTimeSpan(TimeSpan.FromSeconds(900))));
        });
    }

    [Test]
    public void ApiKeyInfo_InTheDocumentedCamelCase_MapsEveryField_ZeroTimesAreUnset()
    {
        var info = Map("GetApiKeyInfo", AccountMapping.ToApiKeyInfo);

        Assert.Multiple(() =>
        {
            Assert.That(info.KeyName, Is.EqualTo("my-api-key"));
            Assert.That(info.ApiKey, Is.EqualTo("4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX"));
            Assert.That(info.Nonce, Is.EqualTo(1772627060997UL));
            Assert.That(info.NonceWindow, Is.Zero);
            Assert.That(info.Permissions, Is.EqualTo(new[] { "query-funds", "withdraw-funds", "query-open-trades", "modify-trades" }));
            Assert.That(info.Iban, Is.EqualTo("AA88 N84G WOAK NMOI"));
            Assert.That(info.ValidUntil, Is.Null, "\"0\" means the key does not expire");
            Assert.That(info.QueryFrom, Is.Null);
            Assert.That(info.QueryTo, Is.Null);
            Assert.That(info.CreatedTime, Is.EqualTo(new Timestamp { Seconds = 1772542900 }));
            Assert.That(info.ModifiedTime, Is.EqualTo(new Timestamp { Seconds = 1772543095 }));
            Assert.That(info.IpAllowlist, Is.Empty);
            Assert.That(info.LastUsedTime, Is.EqualTo(new Timestamp { Seconds = 1772627061 }));
        });
    }

    [Test]
    public void ApiKeyInfo_InSnakeCase_MapsEveryField_AnEmptyAllowlistEntryIsNoAddress_NullLastUseIsUnset()
    {
        var info = MapJson("""
            {"api_key_name":"TestKey","api_key":"123","nonce":"18446744073709551615","nonce_window":"15",
             "permissions":["query-funds","create-ws-token"],"iban":"AB12 CD34","valid_until":"1900000000",
             "query_from":"1600000000","query_to":"1700000000","created_time":"1522132642","modified_time":"1618230358",
             "ip_allowlist":[""],"last_used":null}
            """, AccountMapping.ToApiKeyInfo);

        Assert.Multiple(() =>
        {
            Assert.That(info.KeyName, Is.EqualTo("TestKey"));
            Assert.That(info.ApiKey, Is.EqualTo("123"));
            Assert.That(info.Nonce, Is.EqualTo(ulong.MaxValue), "the nonce is an unsigned 64-bit integer");
            Assert.That(info.NonceWindow, Is.EqualTo(15));
            Assert.That(info.Permissions, Is.EqualTo(new[] { "query-funds", "create-ws-token" }));
            Assert.That(info.Iban, Is.EqualTo("AB12 CD34"));
            Assert.That(info.ValidUntil, Is.EqualTo(new Timestamp { Seconds = 1900000000 }));
            Assert.That(info.QueryFrom, Is.EqualTo(new Timestamp { Seconds = 1600000000 }));
            Assert.That(info.QueryTo, Is.EqualTo(new Timestamp { Seconds = 1700000000 }));
            Assert.That(info.CreatedTime, Is.EqualTo(new Timestamp { Seconds = 1522132642 }));
            Assert.That(info.ModifiedTime, Is.EqualTo(new Timestamp { Seconds = 1618230358 }));
            Assert.That(info.IpAllowlist, Is.Empty);
            Assert.That(info.LastUsedTime, Is.Null);
        });
    }

    [Test]
    public void ApiKeyInfo_AllowlistWithAddresses_ListsThem()
    {
        var info = MapJson("""{"ipAllowlist":["192.0.2.1","2001:db8::1"]}""", AccountMapping.ToApiKeyInfo);

        Assert.That(info.IpAllowlist, Is.EqualTo(new[] { "192.0.2.1", "2001:db8::1" }));
    }

    [Test]
    public void ApiKeyInfo_NonceThatIsNotAnInteger_IsAnUnreadableAnswer()
    {
        Assert.Throws<KrakenException>(() => MapJson("""{"nonce":"12ab"}""", AccountMapping.ToApiKeyInfo));
    }

    [Test]
    public void CreateSubaccount_BareTrue_MeansCreated()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Map("CreateSubaccount", AccountMapping.ToCreateSubaccount).Created, Is.True);
            Assert.That(MapJson("false", AccountMapping.ToCreateSubaccount).Created, Is.False);
        });
    }

    [Test]
    public void AccountTransfer_MapsTheTransferIdAndStatus()
    {
        var transfer = Map("AccountTransfer", AccountMapping.ToSubaccountTransfer);

        Assert.Multiple(() =>
        {
            Assert.That(transfer.TransferId, Is.EqualTo("TOH3AS2-LPCWR8-JDQGEU"));
            Assert.That(transfer.Status, Is.EqualTo("complete"));
        });
    }

    // ---- Requests: exactly the parameters Kraken expects ---------------------------------------------------

    private static string Form(KrakenParameters parameters) => KrakenRequestEncoder.EncodeForm(parameters);

    [Test]
    public void BalanceRequests_WithNothingSet_SendNothing_AndOtherwiseRebaseMultiplierAndOtp()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(AccountMapping.Parameters(new GetAccountBalanceRequest())), Is.Empty);
            Assert.That(Form(AccountMapping.Parameters(new GetExtendedBalanceRequest())), Is.Empty);
            Assert.That(Form(AccountMapping.Parameters(new GetCreditLinesRequest())), Is.Empty);
            Assert.That(Form(AccountMapping.Parameters(new GetAccountBalanceRequest { RebaseMultiplier = RebaseMultiplier.Base, Otp = "123456" })),
                Is.EqualTo("rebase_multiplier=base&otp=123456"));
            Assert.That(Form(AccountMapping.Parameters(new GetExtendedBalanceRequest { RebaseMultiplier = RebaseMultiplier.Rebased, Otp = "654321" })),
                Is.EqualTo("rebase_multiplier=rebased&otp=654321"));
            Assert.That(Form(AccountMapping.Parameters(new GetCreditLinesRequest { RebaseMultiplier = RebaseMultiplier.Base })),
                Is.EqualTo("rebase_multiplier=base"));
        });
    }

    [Test]
    public void TradeBalanceRequest_SendsAssetRebaseMultiplierAndOtp()
    {
        var parameters = AccountMapping.Parameters(new GetTradeBalanceRequest { Asset = "ZEUR", RebaseMultiplier = RebaseMultiplier.Rebased, Otp = "1" });

        Assert.That(Form(parameters), Is.EqualTo("asset=ZEUR&rebase_multiplier=rebased&otp=1"));
    }

    [Test]
    public void OpenPositionsRequest_SendsTxidsAsACommaList_DocalcsEvenWhenFalse_AndMarketConsolidation()
    {
        var parameters = AccountMapping.Parameters(new GetOpenPositionsRequest
        {
            Txid = { "TF5GVO-T7ZZ2-6NBKBI", "T24DOR-TAFLM-ID3NYP" },
            Docalcs = false,
            Consolidation = PositionConsolidation.Market,
            RebaseMultiplier = RebaseMultiplier.Base,
            Otp = "7",
        });

        Assert.Multiple(() =>
        {
            Assert.That(Form(parameters),
                Is.EqualTo("txid=TF5GVO-T7ZZ2-6NBKBI%2CT24DOR-TAFLM-ID3NYP&docalcs=false&consolidation=market&rebase_multiplier=base&otp=7"));
            Assert.That(Form(AccountMapping.Parameters(new GetOpenPositionsRequest())), Is.Empty);
        });
    }

    [Test]
    public void TradesHistoryRequest_SendsEveryFilterUnderKrakensName_TypeAsKrakensWords()
    {
        var parameters = AccountMapping.Parameters(new GetTradesHistoryRequest
        {
            Type = TradesHistoryType.ClosedPosition,
            Trades = true,
            Start = "1688666559",
            End = "THVRQM-33VKH-UCI7BS",
            Ofs = 50,
            WithoutCount = true,
            ConsolidateTaker = false,
            Ledgers = true,
            RebaseMultiplier = RebaseMultiplier.Base,
            Otp = "9",
        });

        Assert.Multiple(() =>
        {
            Assert.That(Form(parameters), Is.EqualTo(
                "type=closed%20position&trades=true&start=1688666559&end=THVRQM-33VKH-UCI7BS&ofs=50&without_count=true"
                + "&consolidate_taker=false&ledgers=true&rebase_multiplier=base&otp=9"));
            Assert.That(Form(AccountMapping.Parameters(new GetTradesHistoryRequest())), Is.Empty, "unset optionals are not sent");
        });
    }

    [TestCase(TradesHistoryType.All, "type=all")]
    [TestCase(TradesHistoryType.AnyPosition, "type=any%20position")]
    [TestCase(TradesHistoryType.ClosedPosition, "type=closed%20position")]
    [TestCase(TradesHistoryType.ClosingPosition, "type=closing%20position")]
    [TestCase(TradesHistoryType.NoPosition, "type=no%20position")]
    public void TradesHistoryRequest_EachType_IsSentAsKrakensWord(TradesHistoryType type, string expected)
    {
        Assert.That(Form(AccountMapping.Parameters(new GetTradesHistoryRequest { Type = type })), Is.EqualTo(expected));
    }

    [Test]
    public void TradesRequest_SendsTxidsAsACommaList_AndTradesWhenSet()
    {
        var parameters = AccountMapping.Parameters(new GetTradesRequest
        {
            Txid = { "THVRQM-33VKH-UCI7BS", "TTEUX3-HDAAA-RC2RUO" },
            Trades = false,
            RebaseMultiplier = RebaseMultiplier.Rebased,
            Otp = "2",
        });

        Assert.That(Form(parameters), Is.EqualTo("txid=THVRQM-33VKH-UCI7BS%2CTTEUX3-HDAAA-RC2RUO&trades=false&rebase_multiplier=rebased&otp=2"));
    }

    [Test]
    public void TradesAndLedgersRequests_WithExactlyTwentyIds_AreAccepted()
    {
        var ids = Enumerable.Range(1, 20).Select(i => $"T{i}").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(Form(AccountMapping.Parameters(new GetTradesRequest { Txid = { ids } })), Is.EqualTo("txid=" + string.Join("%2C", ids)));
            Assert.That(Form(AccountMapping.Parameters(new GetLedgersRequest { Id = { ids } })), Is.EqualTo("id=" + string.Join("%2C", ids)));
        });
    }

    [Test]
    public void LedgersInfoRequest_SendsEveryFilterUnderKrakensName()
    {
        var parameters = AccountMapping.Parameters(new GetLedgersInfoRequest
        {
            Asset = { "XXBT", "ZUSD" },
            Aclass = "currency",
            Type = "deposit",
            Start = "1688464484",
            End = "L4UESK-KG3EQ-UFO4T5",
            Ofs = 0,
            WithoutCount = false,
            RebaseMultiplier = RebaseMultiplier.Base,
            Otp = "3",
        });

        Assert.Multiple(() =>
        {
            Assert.That(Form(parameters), Is.EqualTo(
                "asset=XXBT%2CZUSD&aclass=currency&type=deposit&start=1688464484&end=L4UESK-KG3EQ-UFO4T5&ofs=0&without_count=false"
                + "&rebase_multiplier=base&otp=3"));
            Assert.That(Form(AccountMapping.Parameters(new GetLedgersInfoRequest())), Is.Empty);
        });
    }

    [Test]
    public void LedgersRequest_SendsIdsAsACommaList_AndTradesWhenSet()
    {
        var parameters = AccountMapping.Parameters(new GetLedgersRequest { Id = { "L4UESK-KG3EQ-UFO4T5", "LMKZCZ-Z3GVL-CXKK4H" }, Trades = true, Otp = "4" });

        Assert.That(Form(parameters), Is.EqualTo("id=L4UESK-KG3EQ-UFO4T5%2CLMKZCZ-Z3GVL-CXKK4H&trades=true&otp=4"));
    }

    [Test]
    public void TradingVolumeRequest_SendsPairsAsACommaList()
    {
        var parameters = AccountMapping.Parameters(new GetTradingVolumeRequest { Pair = { "XBTUSD", "ETHUSD" }, RebaseMultiplier = RebaseMultiplier.Base, Otp = "5" });

        Assert.Multiple(() =>
        {
            Assert.That(Form(parameters), Is.EqualTo("pair=XBTUSD%2CETHUSD&rebase_multiplier=base&otp=5"));
            Assert.That(Form(AccountMapping.Parameters(new GetTradingVolumeRequest())), Is.Empty);
        });
    }

    [Test]
    public void ExportRequest_SendsReportFormatDescriptionFieldsAndWholeUnixSeconds()
    {
        var parameters = AccountMapping.Parameters(new RequestLedgersExportRequest
        {
            Report = ExportReportKind.Ledgers,
            Format = ExportFileFormat.Tsv,
            Description = "my ledgers",
            Fields = { "refid", "time", "amount" },
            Starttm = new Timestamp { Seconds = 1688000000, Nanos = 999_000_000 },
            Endtm = new Timestamp { Seconds = 1688600000 },
            Otp = "6",
        });

        Assert.That(Form(parameters), Is.EqualTo(
            "report=ledgers&format=TSV&description=my%20ledgers&fields=refid%2Ctime%2Camount&starttm=1688000000&endtm=1688600000&otp=6"));
    }

    [Test]
    public void ExportRequest_WithOnlyTheRequiredFields_SendsReportAndDescription()
    {
        var parameters = AccountMapping.Parameters(new RequestLedgersExportRequest { Report = ExportReportKind.Trades, Description = "my_trades_1" });

        Assert.That(Form(parameters), Is.EqualTo("report=trades&description=my_trades_1"));
    }

    [Test]
    public void ExportStatusAndRemoveExportRequests_SendKrakensWords()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(AccountMapping.Parameters(new GetLedgersExportStatusRequest { Report = ExportReportKind.Ledgers, Otp = "8" })),
                Is.EqualTo("report=ledgers&otp=8"));
            Assert.That(Form(AccountMapping.Parameters(new DeleteLedgersExportRequest { Id = "TCJA", Type = ExportRemovalType.Cancel })),
                Is.EqualTo("id=TCJA&type=cancel"));
            Assert.That(Form(AccountMapping.Parameters(new DeleteLedgersExportRequest { Id = "VSKC", Type = ExportRemovalType.Delete, Otp = "1" })),
                Is.EqualTo("id=VSKC&type=delete&otp=1"));
        });
    }

    [Test]
    public void TokenAndKeyInfoRequests_SendOnlyTheOtp_WhenSet()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Form(AccountMapping.Parameters(new GetWebSocketsTokenRequest())), Is.Empty);
            Assert.That(Form(AccountMapping.Parameters(new GetWebSocketsTokenRequest { Otp = "11" })), Is.EqualTo("otp=11"));
            Assert.That(Form(AccountMapping.Parameters(new GetApiKeyInfoRequest())), Is.Empty);
            Assert.That(Form(AccountMapping.Parameters(new GetApiKeyInfoRequest { Otp = "12" })), Is.EqualTo("otp=12"));
        });
    }

    [Test]
    public void CreateSubaccountRequest_SendsUsernameAndEmail()
    {
        var parameters = AccountMapping.Parameters(new CreateSubaccountRequest { Username = "desk-2", Email = "desk+2@example.com", Otp = "13" });

        Assert.That(Form(parameters), Is.EqualTo("username=desk-2&email=desk%2b2%40example.com&otp=13"));
    }

    [Test]
    public void SubaccountTransferRequest_SendsTheAmountTextUnchanged_AndEveryField()
    {
        var parameters = AccountMapping.Parameters(new SubmitSubaccountTransferRequest
        {
            Asset = "XBT",
            AssetClass = "currency",
            Amount = "1.50000000",
            From = "ABCD 1234 EFGH 5678",
            To = "IJKL 0000 MNOP 9999",
            Otp = "14",
        });

        Assert.That(Form(parameters), Is.EqualTo(
            "asset=XBT&asset_class=currency&amount=1.50000000&from=ABCD%201234%20EFGH%205678&to=IJKL%200000%20MNOP%209999&otp=14"));
    }

    // ---- Requests: refused before anything reaches Kraken ---------------------------------------------------

    private static IEnumerable<TestCaseData> InvalidRequests()
    {
        var twentyOne = Enumerable.Range(1, 21).Select(i => $"T{i}").ToList();
        const RebaseMultiplier UnknownRebase = (RebaseMultiplier)9;

        yield return Invalid("GetAccountBalance_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetAccountBalanceRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetExtendedBalance_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetExtendedBalanceRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetCreditLines_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetCreditLinesRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetTradeBalance_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetTradeBalanceRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetOpenPositions_UnknownConsolidation", "consolidation", () => AccountMapping.Parameters(new GetOpenPositionsRequest { Consolidation = (PositionConsolidation)2 }));
        yield return Invalid("GetOpenPositions_EmptyTxid", "txid", () => AccountMapping.Parameters(new GetOpenPositionsRequest { Txid = { "T1", "" } }));
        yield return Invalid("GetOpenPositions_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetOpenPositionsRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetTradesHistory_UnknownType", "type", () => AccountMapping.Parameters(new GetTradesHistoryRequest { Type = (TradesHistoryType)6 }));
        yield return Invalid("GetTradesHistory_NegativeOffset", "ofs", () => AccountMapping.Parameters(new GetTradesHistoryRequest { Ofs = -1 }));
        yield return Invalid("GetTradesHistory_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetTradesHistoryRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetTrades_NoTxid", "txid", () => AccountMapping.Parameters(new GetTradesRequest()));
        yield return Invalid("GetTrades_TwentyOneTxids", "txid", () => AccountMapping.Parameters(new GetTradesRequest { Txid = { twentyOne } }));
        yield return Invalid("GetTrades_BlankTxid", "txid", () => AccountMapping.Parameters(new GetTradesRequest { Txid = { " " } }));
        yield return Invalid("GetTrades_TxidHoldingAComma", "txid", () => AccountMapping.Parameters(new GetTradesRequest { Txid = { "T1,T2" } }));
        yield return Invalid("GetTrades_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetTradesRequest { Txid = { "T1" }, RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetLedgersInfo_NegativeOffset", "ofs", () => AccountMapping.Parameters(new GetLedgersInfoRequest { Ofs = -50 }));
        yield return Invalid("GetLedgersInfo_EmptyAsset", "asset", () => AccountMapping.Parameters(new GetLedgersInfoRequest { Asset = { "" } }));
        yield return Invalid("GetLedgersInfo_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetLedgersInfoRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetLedgers_NoId", "id", () => AccountMapping.Parameters(new GetLedgersRequest()));
        yield return Invalid("GetLedgers_TwentyOneIds", "id", () => AccountMapping.Parameters(new GetLedgersRequest { Id = { twentyOne } }));
        yield return Invalid("GetLedgers_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetLedgersRequest { Id = { "L1" }, RebaseMultiplier = UnknownRebase }));
        yield return Invalid("GetTradingVolume_PairHoldingAComma", "pair", () => AccountMapping.Parameters(new GetTradingVolumeRequest { Pair = { "XBTUSD,ETHUSD" } }));
        yield return Invalid("GetTradingVolume_UnknownRebaseMultiplier", "rebase_multiplier", () => AccountMapping.Parameters(new GetTradingVolumeRequest { RebaseMultiplier = UnknownRebase }));
        yield return Invalid("RequestLedgersExport_NoReport", "report", () => AccountMapping.Parameters(new RequestLedgersExportRequest { Description = "d" }));
        yield return Invalid("RequestLedgersExport_UnknownReport", "report", () => AccountMapping.Parameters(new RequestLedgersExportRequest { Report = (ExportReportKind)3, Description = "d" }));
        yield return Invalid("RequestLedgersExport_UnknownFormat", "format", () => AccountMapping.Parameters(new RequestLedgersExportRequest { Report = ExportReportKind.Trades, Format = (ExportFileFormat)3, Description = "d" }));
        yield return Invalid("RequestLedgersExport_NoDescription", "description", () => AccountMapping.Parameters(new RequestLedgersExportRequest { Report = ExportReportKind.Trades }));
        yield return Invalid("RequestLedgersExport_EmptyField", "fields", () => AccountMapping.Parameters(new RequestLedgersExportRequest { Report = ExportReportKind.Trades, Description = "d", Fields = { "time", "" } }));
        yield return Invalid("RequestLedgersExport_StartBefore1970", "starttm", () => AccountMapping.Parameters(new RequestLedgersExportRequest { Report = ExportReportKind.Trades, Description = "d", Starttm = new Timestamp { Seconds = -5 } }));
        yield return Invalid("RequestLedgersExport_EndNotAfterStart", "endtm", () => AccountMapping.Parameters(new RequestLedgersExportRequest
        {
            Report = ExportReportKind.Trades,
            Description = "d",
            Starttm = new Timestamp { Seconds = 1688600000 },
            Endtm = new Timestamp { Seconds = 1688000000 },
        }));
        yield return Invalid("GetLedgersExportStatus_NoReport", "report", () => AccountMapping.Parameters(new GetLedgersExportStatusRequest()));
        yield return Invalid("GetLedgersExportStatus_UnknownReport", "report", () => AccountMapping.Parameters(new GetLedgersExportStatusRequest { Report = (ExportReportKind)5 }));
        yield return Invalid("DeleteLedgersExport_NoId", "id", () => AccountMapping.Parameters(new DeleteLedgersExportRequest { Type = ExportRemovalType.Delete }));
        yield return Invalid("DeleteLedgersExport_NoType", "type", () => AccountMapping.Parameters(new DeleteLedgersExportRequest { Id = "TCJA" }));
        yield return Invalid("DeleteLedgersExport_UnknownType", "type", () => AccountMapping.Parameters(new DeleteLedgersExportRequest { Id = "TCJA", Type = (ExportRemovalType)3 }));
        yield return Invalid("CreateSubaccount_NoUsername", "username", () => AccountMapping.Parameters(new CreateSubaccountRequest { Email = "a@example.com" }));
        yield return Invalid("CreateSubaccount_NoEmail", "email", () => AccountMapping.Parameters(new CreateSubaccountRequest { Username = "desk" }));
        yield return Invalid("CreateSubaccount_EmailWithoutAt", "email", () => AccountMapping.Parameters(new CreateSubaccountRequest { Username = "desk", Email = "desk.example.com" }));
        yield return Invalid("SubmitSubaccountTransfer_NoAsset", "asset", () => AccountMapping.Parameters(Transfer(t => t.Asset = "")));
        yield return Invalid("SubmitSubaccountTransfer_NoAmount", "amount", () => AccountMapping.Parameters(Transfer(t => t.Amount = "")));
        yield return Invalid("SubmitSubaccountTransfer_ZeroAmount", "amount", () => AccountMapping.Parameters(Transfer(t => t.Amount = "0.000")));
        yield return Invalid("SubmitSubaccountTransfer_NegativeAmount", "amount", () => AccountMapping.Parameters(Transfer(t => t.Amount = "-1.5")));
        yield return Invalid("SubmitSubaccountTransfer_ExponentAmount", "amount", () => AccountMapping.Parameters(Transfer(t => t.Amount = "1e5")));
        yield return Invalid("SubmitSubaccountTransfer_CommaDecimalAmount", "amount", () => AccountMapping.Parameters(Transfer(t => t.Amount = "1,5")));
        yield return Invalid("SubmitSubaccountTransfer_NoSource", "from", () => AccountMapping.Parameters(Transfer(t => t.From = "")));
        yield return Invalid("SubmitSubaccountTransfer_NoDestination", "to", () => AccountMapping.Parameters(Transfer(t => t.To = "")));
        yield return Invalid("SubmitSubaccountTransfer_SameAccountBothWays", "to", () => AccountMapping.Parameters(Transfer(t => t.To = "abcd1234efgh5678")));
    }

    private static SubmitSubaccountTransferRequest Transfer(Action<SubmitSubaccountTransferRequest> change)
    {
        var request = new SubmitSubaccountTransferRequest { Asset = "XBT", Amount = "1.5", From = "ABCD 1234 EFGH 5678", To = "IJKL 0000 MNOP 9999" };
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
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("INVALID_REQUEST"));
            Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Does.Contain(field));
        });
    }

    [Test]
    public void SubaccountTransfer_WithEveryRequiredFieldMissing_NamesThemAllAtOnce()
    {
        var failure = Assert.Throws<RpcException>(() => AccountMapping.Parameters(new SubmitSubaccountTransferRequest()))!;

        Assert.That(failure.BadRequest()?.FieldViolations.Select(v => v.Field), Is.EquivalentTo(new[] { "asset", "amount", "from", "to" }));
    }

    // ---- The service ----------------------------------------------------------------------------------------

    [Test]
    public void AccountService_ImplementsEveryRpc()
    {
        var rpcs = AccountService.Descriptor.Methods.Select(m => m.Name).ToList();
        var implemented = typeof(KrakenGrpc.Server.Services.AccountService)
            .GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Select(m => m.Name)
            .ToList();

        Assert.That(implemented, Is.EquivalentTo(rpcs));
    }
}
