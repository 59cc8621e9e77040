using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
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
/// AccountService and OrdersService end to end: gRPC client -> gateway -> HTTP -> the emulator's paper accounts and
/// matching engine. Every RPC is called through a real gRPC client, its answer is compared with the paper account
/// (read through the emulator's inspection API) decimal text for decimal text, and the account's state is checked
/// afterwards. Each test area has its own Pro-tier account, so one test's rate counters never slow another, and the
/// market moves only when a test calls <c>Market.Step()</c>.
/// </summary>
public class AccountAndOrdersSandboxTests
{
    private const string Pair = "XBTUSD";
    private const string PairKey = "XXBTZUSD";

    /// <summary>TradesHistory writes XBT/USD prices with five decimals (Kraken's example: "30010.00000"), finer than pair_decimals.</summary>
    private const int TradePriceDecimals = 5;

    /// <summary>Kraken's first fee tier (30-day volume below 50 000 USD): taker 0.26 %, maker 0.16 %.</summary>
    private const decimal TakerFee = 0.0026m;
    private const decimal MakerFee = 0.0016m;

    /// <summary>How long the emulator takes to build an export; long enough to cancel a report that was just queued.</summary>
    private static readonly TimeSpan ExportProcessing = TimeSpan.FromSeconds(3);

    /// <summary>Generous: the machine may be loaded.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string[] AccountNames =
    [
        "balances", "extended", "credit", "tradebalance", "history", "exportrequest", "exportstatus", "exportdownload",
        "exportdelete", "wstoken", "apikey", "subaccount", "transfer", "market", "crossing", "maker", "postonly",
        "postonlyrests", "ioc", "fok", "stoploss", "close", "iceberg", "validate", "clordid", "duplicate", "funds",
        "queries", "amend", "amends", "edit", "editclordid", "cancel", "unknown", "cancelall", "deadman", "disarm",
        "batch", "batchinvalid", "cancelbatch", "level3",
    ];

    /// <summary>The permissions the emulator's keys have, in Kraken's words and order (GetApiKeyInfo).</summary>
    private static readonly string[] KeyPermissions =
    [
        "query-funds", "add-funds", "withdraw-funds", "earn-funds", "query-open-trades", "query-closed-trades",
        "modify-trades", "close-trades", "query-ledger", "export-data", "create-ws-token",
    ];

    private static readonly Dictionary<string, OrderType> OrderTypes = new(StringComparer.Ordinal)
    {
        ["market"] = OrderType.Market,
        ["limit"] = OrderType.Limit,
        ["iceberg"] = OrderType.Iceberg,
        ["stop-loss"] = OrderType.StopLoss,
    };

    private static readonly Dictionary<string, OrderStatus> OrderStatuses = new(StringComparer.Ordinal)
    {
        ["pending"] = OrderStatus.Pending,
        ["open"] = OrderStatus.Open,
        ["closed"] = OrderStatus.Closed,
        ["canceled"] = OrderStatus.Canceled,
        ["expired"] = OrderStatus.Expired,
    };

    private readonly Dictionary<string, (string Key, string Secret)> _credentials = AccountNames.ToDictionary(
        name => name,
        name => ($"test-key-{name}-{Guid.NewGuid():N}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))));

    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private Dictionary<string, int> _assetDecimals = null!;
    private Dictionary<string, AssetPair> _pairs = null!;
    private Dictionary<string, KeyStatistics> _statisticsBefore = [];
    private Task? _historyFilled;
    private Task<QueriedOrders>? _queriedOrders;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan, ExportProcessingTime = ExportProcessing };
        foreach (var name in AccountNames)
        {
            var (key, secret) = _credentials[name];
            options.Accounts.Add(new EmulatedAccountOptions(key, secret)
            {
                Tier = "Pro",
                Name = $"sandbox-{name}",
                Balances = BalancesOf(name),
                CreditLimits = name == "credit" ? new Dictionary<string, decimal> { ["ZUSD"] = 50_000m } : new Dictionary<string, decimal>(),
            });
        }
        _kraken = await KrakenEmulator.StartAsync(options);

        var arguments = _credentials
            .SelectMany(c => new[]
            {
                $"--Kraken:Accounts:{c.Key}:ApiKey={c.Value.Key}",
                $"--Kraken:Accounts:{c.Key}:ApiSecret={c.Value.Secret}",
                $"--Kraken:Accounts:{c.Key}:Tier=Pro",
            })
            .ToArray();
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, arguments);

        // The decimals Kraken pads each amount to, from the (public) reference data rather than from memory.
        var assets = await _gateway.MarketData.GetAssetInfoAsync(new GetAssetInfoRequest());
        _assetDecimals = assets.Assets.ToDictionary(a => a.Key, a => a.Value.Decimals, StringComparer.Ordinal);
        var pairs = await _gateway.MarketData.GetAssetPairsAsync(new GetAssetPairsRequest());
        _pairs = pairs.Pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public void RememberRefusals() =>
        _statisticsBefore = AccountNames.ToDictionary(name => name, name => _kraken.Statistics.For(KeyOf(name)));

    /// <summary>The gateway's lanes keep every key inside Kraken's counters and nonce rules: Kraken never refuses for them.</summary>
    [TearDown]
    public void KrakenRefusedNoCallForRateOrNonce()
    {
        foreach (var name in AccountNames)
        {
            var before = _statisticsBefore[name];
            var now = _kraken.Statistics.For(KeyOf(name));
            Assert.That(
                (now.InvalidNonces - before.InvalidNonces, now.InvalidSignatures - before.InvalidSignatures,
                    now.RestRateLimitRefusals - before.RestRateLimitRefusals, now.TradingRateLimitRefusals - before.TradingRateLimitRefusals,
                    now.OrdersLimitRefusals - before.OrdersLimitRefusals),
                Is.EqualTo((0L, 0L, 0L, 0L, 0L)),
                $"Kraken refused calls of account '{name}' (nonces, signatures, REST counter, trading counter, open-order cap)");
        }
    }

    private static Dictionary<string, decimal> BalancesOf(string account) => account switch
    {
        "balances" => new Dictionary<string, decimal> { ["ZUSD"] = 12_345.6789m, ["XXBT"] = 1.2345678901m, ["XETH"] = 3m, ["SOL"] = 0.5m },
        "credit" => new Dictionary<string, decimal> { ["ZUSD"] = 1_000m },
        "tradebalance" => new Dictionary<string, decimal> { ["ZUSD"] = 25_000.5m },
        "funds" => new Dictionary<string, decimal> { ["ZUSD"] = 100m },
        "batch" => new Dictionary<string, decimal> { ["ZUSD"] = 100_000m, ["XXBT"] = 0.5m },
        _ => new Dictionary<string, decimal> { ["ZUSD"] = 1_000_000m, ["XXBT"] = 10m, ["XETH"] = 100m },
    };

    // ================================================================================================ AccountService

    [Test]
    public async Task GetAccountBalance_EqualsThePaperAccountsBalances_AsKrakensDecimalText()
    {
        var response = await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), As("balances"));
        var paper = Paper("balances");

        Assert.Multiple(() =>
        {
            Assert.That(response.Balances.Keys, Is.EquivalentTo(paper.Balances.Keys));
            foreach (var (asset, balance) in paper.Balances)
            {
                Assert.That(response.Balances[asset], Is.EqualTo(AssetText(asset, balance)), asset);
            }
            // Spelled out: padded to each asset's decimals, exactly as Kraken wrote them.
            Assert.That(response.Balances["XXBT"], Is.EqualTo("1.2345678901"));
            Assert.That(response.Balances["ZUSD"], Is.EqualTo("12345.6789"));
            Assert.That(response.Balances["XETH"], Is.EqualTo("3.0000000000"));
            Assert.That(response.Balances["SOL"], Is.EqualTo("0.5000000000"));
        });
    }

    [Test]
    public async Task GetExtendedBalance_ShowsEachBalanceAndWhatOpenOrdersHold_AsDecimalText()
    {
        var account = As("extended");
        await PlaceAsync(Limit(OrderSide.Buy, "0.5", "40000"), "extended");

        var response = await _gateway.Account.GetExtendedBalanceAsync(new GetExtendedBalanceRequest(), account);
        var paper = Paper("extended");

        Assert.Multiple(() =>
        {
            // A resting buy holds its cost at its own price plus the taker fee, in the quote asset.
            Assert.That(paper.Holds["ZUSD"], Is.EqualTo(0.5m * 40_000m * (1 + TakerFee)));
            Assert.That(response.Balances["ZUSD"].HoldTrade, Is.EqualTo("20052.0000"));
            Assert.That(response.Balances["ZUSD"].Balance, Is.EqualTo("1000000.0000"));
            Assert.That(response.Balances.Keys, Is.EquivalentTo(paper.Balances.Keys));
            foreach (var (asset, balance) in paper.Balances)
            {
                var mapped = response.Balances[asset];
                Assert.That(mapped.Balance, Is.EqualTo(AssetText(asset, balance)), asset);
                Assert.That(mapped.HoldTrade, Is.EqualTo(AssetText(asset, paper.Holds[asset])), asset);
                Assert.That(mapped.Credit, Is.Empty, $"{asset}: an ordinary account has no credit line");
                Assert.That(mapped.CreditUsed, Is.Empty, asset);
            }
        });
    }

    [Test]
    public async Task GetCreditLines_OfAnAccountWithoutCredit_IsEmpty()
    {
        var response = await _gateway.Account.GetCreditLinesAsync(new GetCreditLinesRequest(), As("balances"));

        Assert.Multiple(() =>
        {
            Assert.That(response.AssetDetails, Is.Empty);
            Assert.That(response.LimitsMonitor, Is.Null);
        });
    }

    [Test]
    public async Task GetCreditLines_OfAVipAccount_ListsTheCreditLineAndTheUsdSummary_AndBalanceExShowsTheCredit()
    {
        var account = As("credit");

        var response = await _gateway.Account.GetCreditLinesAsync(new GetCreditLinesRequest(), account);
        var extended = await _gateway.Account.GetExtendedBalanceAsync(new GetExtendedBalanceRequest(), account);

        Assert.Multiple(() =>
        {
            // Kraken keys credit lines by the asset's short name (its example: "USD").
            Assert.That(response.AssetDetails.Keys, Is.EquivalentTo(new[] { "USD" }));
            var usd = response.AssetDetails["USD"];
            Assert.That((usd.Balance, usd.CreditLimit, usd.CreditUsed, usd.AvailableCredit),
                Is.EqualTo(("1000.0000", "50000.0000", "0.0000", "50000.0000")));
            var monitor = response.LimitsMonitor;
            Assert.That(monitor, Is.Not.Null);
            Assert.That(
                (monitor.TotalCreditUsd, monitor.TotalCreditUsedUsd, monitor.TotalCollateralValueUsd, monitor.EquityUsd, monitor.OngoingBalance,
                    monitor.DebtToEquity),
                Is.EqualTo(("50000.0000", "0.0000", "1000.0000", "1000.0000", "1.0000", "0.0000")));
            Assert.That((extended.Balances["ZUSD"].Balance, extended.Balances["ZUSD"].Credit, extended.Balances["ZUSD"].CreditUsed),
                Is.EqualTo(("1000.0000", "50000.0000", "0.0000")));
        });
    }

    [Test]
    public async Task GetTradeBalance_ValuesTheAccountInTheRequestedAsset_WithNoMarginInUse()
    {
        var response = await _gateway.Account.GetTradeBalanceAsync(new GetTradeBalanceRequest { Asset = "ZUSD" }, As("tradebalance"));

        Assert.Multiple(() =>
        {
            Assert.That(response.EquivalentBalance, Is.EqualTo("25000.5000"));
            Assert.That(response.TradeBalance, Is.EqualTo("25000.5000"));
            Assert.That(response.Equity, Is.EqualTo("25000.5000"));
            Assert.That(response.FreeMargin, Is.EqualTo("25000.5000"));
            Assert.That((response.MarginUsed, response.UnrealizedNetProfitLoss, response.CostBasis, response.FloatingValuation),
                Is.EqualTo(("0.0000", "0.0000", "0.0000", "0.0000")));
            Assert.That(response.UnexecutedValue, Is.Empty, "Kraken omits uv without open orders");
        });
    }

    [Test]
    public async Task GetOpenPositions_OfASpotAccount_IsEmpty_PerPositionAndConsolidatedPerPair()
    {
        var account = As("tradebalance");

        var positions = await _gateway.Account.GetOpenPositionsAsync(new GetOpenPositionsRequest { Docalcs = true }, account);
        var consolidated = await _gateway.Account.GetOpenPositionsAsync(new GetOpenPositionsRequest { Consolidation = PositionConsolidation.Market }, account);

        Assert.Multiple(() =>
        {
            Assert.That(positions.Positions, Is.Empty);
            Assert.That(positions.ConsolidatedPositions, Is.Empty);
            Assert.That(consolidated.Positions, Is.Empty);
            Assert.That(consolidated.ConsolidatedPositions, Is.Empty);
        });
    }

    [Test]
    public async Task GetTradesHistory_PagesFiftyAtATimeNewestFirst_AndEachTradeIsThePaperAccountsTrade()
    {
        await FillHistoryAsync();
        var account = As("history");

        var first = await _gateway.Account.GetTradesHistoryAsync(new GetTradesHistoryRequest { Ledgers = true }, account);
        var second = await _gateway.Account.GetTradesHistoryAsync(new GetTradesHistoryRequest { Ofs = 50 }, account);
        var paper = Paper("history");
        var newestFirst = paper.Trades.Reverse().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(paper.Trades, Has.Count.EqualTo(52));
            Assert.That(first.TotalCount, Is.EqualTo(52));
            Assert.That(second.TotalCount, Is.EqualTo(52));
            Assert.That(first.Trades.Keys, Is.EquivalentTo(newestFirst.Take(50).Select(t => t.TradeId)), "page 1: the 50 newest");
            Assert.That(second.Trades.Keys, Is.EquivalentTo(newestFirst.Skip(50).Select(t => t.TradeId)), "page 2 (ofs 50): the rest");
            foreach (var trade in paper.Trades)
            {
                var mapped = first.Trades.TryGetValue(trade.TradeId, out var onFirst) ? onFirst : second.Trades[trade.TradeId];
                AssertTradeIs(mapped, trade);
            }
            foreach (var trade in newestFirst.Take(50))
            {
                Assert.That(first.Trades[trade.TradeId].LedgerIds, Is.EqualTo(trade.LedgerIds), "ledgers=true names the trade's ledger entries");
            }
            Assert.That(second.Trades.Values.SelectMany(t => t.LedgerIds), Is.Empty, "no ledger ids without ledgers=true");
        });
    }

    [Test]
    public async Task GetTrades_ByTxid_ReturnsExactlyThoseTrades()
    {
        await FillHistoryAsync();
        var paper = Paper("history");
        var wanted = new[] { paper.Trades[0], paper.Trades[^1] };

        var response = await _gateway.Account.GetTradesAsync(new GetTradesRequest { Txid = { wanted.Select(t => t.TradeId) } }, As("history"));

        Assert.Multiple(() =>
        {
            Assert.That(response.Trades.Keys, Is.EquivalentTo(wanted.Select(t => t.TradeId)));
            foreach (var trade in wanted)
            {
                AssertTradeIs(response.Trades[trade.TradeId], trade);
            }
        });
    }

    [Test]
    public async Task GetLedgersInfo_PagesFiftyAtATimeNewestFirst_FiltersByAssetAndType_AndEachEntryIsThePaperAccountsEntry()
    {
        await FillHistoryAsync();
        var account = As("history");

        var pages = new List<GetLedgersInfoResponse>();
        foreach (var offset in new[] { 0, 50, 100 })
        {
            pages.Add(await _gateway.Account.GetLedgersInfoAsync(new GetLedgersInfoRequest { Ofs = offset }, account));
        }
        var bitcoinTrades = await _gateway.Account.GetLedgersInfoAsync(new GetLedgersInfoRequest { Asset = { "XBT" }, Type = "trade" }, account);
        var paper = Paper("history");
        var newestFirst = paper.Ledger.Reverse().ToList();

        Assert.Multiple(() =>
        {
            // A deposit per starting balance (ZUSD, XXBT, XETH), then two entries per fill (quote and base).
            Assert.That(paper.Ledger, Has.Count.EqualTo(3 + (2 * 52)));
            Assert.That(pages.Select(p => p.TotalCount), Is.All.EqualTo(paper.Ledger.Count));
            for (var i = 0; i < pages.Count; i++)
            {
                Assert.That(pages[i].LedgerEntries.Keys, Is.EquivalentTo(newestFirst.Skip(50 * i).Take(50).Select(e => e.LedgerId)), $"page at ofs {50 * i}");
            }
            foreach (var entry in paper.Ledger)
            {
                var page = pages.Single(p => p.LedgerEntries.ContainsKey(entry.LedgerId));
                AssertLedgerEntryIs(page.LedgerEntries[entry.LedgerId], entry);
            }
            Assert.That(bitcoinTrades.TotalCount, Is.EqualTo(52), "XXBT trade entries: one per fill");
            Assert.That(bitcoinTrades.LedgerEntries.Values.Select(e => (e.Asset, e.Type)), Is.All.EqualTo(("XXBT", "trade")));
        });
    }

    [Test]
    public async Task GetLedgers_ById_ReturnsExactlyThoseEntries()
    {
        await FillHistoryAsync();
        var paper = Paper("history");
        var trade = paper.Trades[0];
        var wanted = paper.Ledger.Where(e => trade.LedgerIds.Contains(e.LedgerId)).Append(paper.Ledger[0]).ToList();

        var response = await _gateway.Account.GetLedgersAsync(new GetLedgersRequest { Id = { wanted.Select(e => e.LedgerId) } }, As("history"));

        Assert.Multiple(() =>
        {
            Assert.That(wanted.Select(e => e.Type), Is.EqualTo(new[] { "trade", "trade", "deposit" }));
            Assert.That(response.LedgerEntries.Keys, Is.EquivalentTo(wanted.Select(e => e.LedgerId)));
            foreach (var entry in wanted)
            {
                AssertLedgerEntryIs(response.LedgerEntries[entry.LedgerId], entry);
            }
        });
    }

    [Test]
    public async Task GetTradingVolume_IsTheThirtyDayUsdVolumeOfTheFills_WithTheFeeTiersTheyPaid()
    {
        await FillHistoryAsync();

        var response = await _gateway.Account.GetTradingVolumeAsync(new GetTradingVolumeRequest { Pair = { Pair } }, As("history"));
        var trades = Paper("history").Trades;
        var volume = trades.Sum(t => t.Cost);

        Assert.Multiple(() =>
        {
            Assert.That(response.FeeVolumeCurrency, Is.EqualTo("ZUSD"));
            Assert.That(response.Volume30D, Is.EqualTo(Fixed(volume, 4)));
            Assert.That(response.TakerFees.Keys, Is.EquivalentTo(new[] { PairKey }));
            Assert.That(response.MakerFees.Keys, Is.EquivalentTo(new[] { PairKey }));
            var taker = response.TakerFees[PairKey];
            Assert.That((taker.Fee, taker.MinimumFee, taker.MaximumFee, taker.NextFee, taker.NextVolume, taker.TierVolume),
                Is.EqualTo(("0.2600", "0.1000", "0.2600", "0.2400", "50000.0000", "0.0000")));
            var maker = response.MakerFees[PairKey];
            Assert.That((maker.Fee, maker.MinimumFee, maker.MaximumFee, maker.NextFee, maker.NextVolume, maker.TierVolume),
                Is.EqualTo(("0.1600", "0.0000", "0.1600", "0.1400", "50000.0000", "0.0000")));
            // The tier's taker fee is what each market fill paid.
            Assert.That(trades.Select(t => t.Fee), Is.EqualTo(trades.Select(t => decimal.Round(t.Cost * TakerFee, 4, MidpointRounding.AwayFromZero))));
        });
    }

    [Test]
    public async Task RequestLedgersExport_ReturnsAReportId_ThatGetLedgersExportStatusListsWithItsTerms()
    {
        const string account = "exportrequest";
        var start = DateTimeOffset.UtcNow.AddDays(-1);

        var requested = await _gateway.Account.RequestLedgersExportAsync(
            new RequestLedgersExportRequest
            {
                Report = ExportReportKind.Ledgers, Description = "monthly ledger", Starttm = Timestamp.FromDateTimeOffset(start),
            },
            As(account));
        var status = await _gateway.Account.GetLedgersExportStatusAsync(new GetLedgersExportStatusRequest { Report = ExportReportKind.Ledgers }, As(account));
        var trades = await _gateway.Account.GetLedgersExportStatusAsync(new GetLedgersExportStatusRequest { Report = ExportReportKind.Trades }, As(account));

        Assert.Multiple(() =>
        {
            Assert.That(requested.ReportId, Is.Not.Empty);
            Assert.That(status.Reports.Select(r => r.Id), Is.EqualTo(new[] { requested.ReportId }));
            Assert.That(trades.Reports, Is.Empty, "a ledgers report is not listed among trades reports");
            var report = status.Reports.Single();
            Assert.That(report.Description, Is.EqualTo("monthly ledger"));
            Assert.That(report.Report, Is.EqualTo(ExportReportKind.Ledgers));
            Assert.That(report.Format, Is.EqualTo(ExportFileFormat.Csv), "CSV unless asked otherwise");
            Assert.That(report.Status, Is.AnyOf(ExportReportStatus.Queued, ExportReportStatus.Processed));
            Assert.That(report.Subtype, Is.EqualTo("all"));
            Assert.That(report.Fields, Is.EqualTo(new[] { "all" }));
            Assert.That(report.Asset, Is.EqualTo("all"));
            Assert.That(report.CreatedTime, Is.Not.Null);
            Assert.That(report.DataStartTime?.Seconds, Is.EqualTo(start.ToUnixTimeSeconds()), "the period starts where the request said (whole seconds)");
            Assert.That(report.DataEndTime, Is.Not.Null);
        });
    }

    [Test]
    public async Task GetLedgersExportStatus_ShowsTheReportProcessed_OnceTheEmulatorHasBuiltIt()
    {
        const string account = "exportstatus";
        var requested = await _gateway.Account.RequestLedgersExportAsync(
            new RequestLedgersExportRequest { Report = ExportReportKind.Trades, Format = ExportFileFormat.Tsv, Description = "trades tsv" }, As(account));

        var report = await WaitUntilProcessedAsync(account, ExportReportKind.Trades, requested.ReportId);

        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(ExportReportStatus.Processed));
            Assert.That(report.Report, Is.EqualTo(ExportReportKind.Trades));
            Assert.That(report.Format, Is.EqualTo(ExportFileFormat.Tsv));
            Assert.That(report.ProcessingStartTime, Is.Not.Null, "set once processed");
            Assert.That(report.CompletedTime, Is.Not.Null, "set once processed");
            Assert.That(report.CompletedTime!.Seconds, Is.GreaterThanOrEqualTo(report.CreatedTime!.Seconds));
        });
    }

    [Test]
    public async Task GetLedgersExport_StreamsEachProcessedReport_AZipWhoseCsvIsThePaperAccountsLedgerAndTrades()
    {
        const string account = "exportdownload";
        var txid = await PlaceAsync(MarketOrder(OrderSide.Buy, "0.01"), account);
        var start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1));
        var ledgers = await _gateway.Account.RequestLedgersExportAsync(
            new RequestLedgersExportRequest { Report = ExportReportKind.Ledgers, Description = "ledgers", Starttm = start }, As(account));
        var trades = await _gateway.Account.RequestLedgersExportAsync(
            new RequestLedgersExportRequest { Report = ExportReportKind.Trades, Description = "trades", Starttm = start }, As(account));
        await WaitUntilProcessedAsync(account, ExportReportKind.Ledgers, ledgers.ReportId);
        await WaitUntilProcessedAsync(account, ExportReportKind.Trades, trades.ReportId);

        var ledgersZip = await DownloadAsync(account, ledgers.ReportId);
        var tradesZip = await DownloadAsync(account, trades.ReportId);
        var ledgersFiles = Unzip(ledgersZip);
        var tradesFiles = Unzip(tradesZip);
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            // The emulator builds each archive when it is retrieved and keeps no copy to compare bytes with; the
            // archive must be whole (a ZIP that opens) and hold the report.
            Assert.That(ledgersZip.Take(4), Is.EqualTo("PK\u0003\u0004"u8.ToArray()), "a ZIP local file header");
            Assert.That(ledgersFiles.Keys, Is.EqualTo(new[] { "ledgers.csv" }));
            Assert.That(tradesFiles.Keys, Is.EqualTo(new[] { "trades.csv" }));

            var ledgerRows = ParseCsv(ledgersFiles["ledgers.csv"]);
            Assert.That(ledgerRows[0], Is.EqualTo(new[] { "txid", "refid", "time", "type", "subtype", "aclass", "asset", "wallet", "amount", "fee", "balance" }));
            Assert.That(ledgerRows.Skip(1).Select(r => r[0]), Is.EquivalentTo(paper.Ledger.Select(e => e.LedgerId)), "one row per ledger entry");
            foreach (var entry in paper.Ledger)
            {
                var row = ledgerRows.Single(r => r[0] == entry.LedgerId);
                Assert.That((row[1], row[3], row[5], row[6]), Is.EqualTo((entry.RefId, entry.Type, "currency", entry.Asset)), entry.LedgerId);
                Assert.That((D(row[8]), D(row[9]), D(row[10])), Is.EqualTo((entry.Amount, entry.Fee, entry.Balance)), entry.LedgerId);
            }

            var tradeRows = ParseCsv(tradesFiles["trades.csv"]);
            Assert.That(tradeRows[0], Is.EqualTo(new[]
            {
                "txid", "ordertxid", "pair", "time", "type", "ordertype", "price", "cost", "fee", "vol", "margin", "misc", "ledgers",
            }));
            var trade = paper.Trades.Single();
            Assert.That(tradeRows.Skip(1).Select(r => r[0]), Is.EqualTo(new[] { trade.TradeId }));
            var tradeRow = tradeRows[1];
            Assert.That((tradeRow[1], tradeRow[2], tradeRow[4], tradeRow[5]), Is.EqualTo((txid, PairKey, "buy", "market")));
            Assert.That((D(tradeRow[7]), D(tradeRow[8]), D(tradeRow[9])), Is.EqualTo((trade.Cost, trade.Fee, trade.Volume)));
            Assert.That(tradeRow[12], Is.EqualTo(string.Join(',', trade.LedgerIds)));
        });
    }

    [Test]
    public async Task DeleteLedgersExport_CancelsAQueuedReport_AndDeletesAProcessedOne_WhichCanThenNoLongerBeDownloaded()
    {
        const string account = "exportdelete";

        // First the queued report (cancel), while this account's budget is fresh: it must reach Kraken well within
        // the processing time.
        var queued = await _gateway.Account.RequestLedgersExportAsync(
            new RequestLedgersExportRequest { Report = ExportReportKind.Ledgers, Description = "to cancel" }, As(account));
        var canceled = await _gateway.Account.DeleteLedgersExportAsync(
            new DeleteLedgersExportRequest { Id = queued.ReportId, Type = ExportRemovalType.Cancel }, As(account));

        var processed = await _gateway.Account.RequestLedgersExportAsync(
            new RequestLedgersExportRequest { Report = ExportReportKind.Ledgers, Description = "to delete" }, As(account));
        await WaitUntilProcessedAsync(account, ExportReportKind.Ledgers, processed.ReportId);
        var deleted = await _gateway.Account.DeleteLedgersExportAsync(
            new DeleteLedgersExportRequest { Id = processed.ReportId, Type = ExportRemovalType.Delete }, As(account));
        var status = await _gateway.Account.GetLedgersExportStatusAsync(new GetLedgersExportStatusRequest { Report = ExportReportKind.Ledgers }, As(account));

        var chunks = 0;
        var gone = Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _gateway.Account.GetLedgersExport(new GetLedgersExportRequest { Id = processed.ReportId }, As(account));
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
                chunks++;
            }
        })!;

        Assert.Multiple(() =>
        {
            Assert.That((canceled.Canceled, canceled.Deleted), Is.EqualTo((true, false)));
            Assert.That((deleted.Deleted, deleted.Canceled), Is.EqualTo((true, false)));
            Assert.That(status.Reports, Is.Empty, "neither report is listed any more");
            Assert.That(gone.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(gone.ErrorInfo().Metadata["kraken_error"], Does.StartWith("EGeneral:Invalid arguments"));
            Assert.That(chunks, Is.Zero, "the error comes before any chunk");
        });
    }

    [Test]
    public async Task GetWebSocketsToken_HandsOutAFreshTokenValidForFifteenMinutes()
    {
        var first = await _gateway.Account.GetWebSocketsTokenAsync(new GetWebSocketsTokenRequest(), As("wstoken"));
        var second = await _gateway.Account.GetWebSocketsTokenAsync(new GetWebSocketsTokenRequest(), As("wstoken"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Token, Is.Not.Empty);
            Assert.That(second.Token, Is.Not.EqualTo(first.Token));
            Assert.That(first.ExpiresIn, Is.EqualTo(Duration.FromTimeSpan(TimeSpan.FromSeconds(900))));
        });
    }

    [Test]
    public async Task GetApiKeyInfo_DescribesTheKeyTheGatewaySignsWith()
    {
        var response = await _gateway.Account.GetApiKeyInfoAsync(new GetApiKeyInfoRequest(), As("apikey"));
        var paper = Paper("apikey");

        Assert.Multiple(() =>
        {
            Assert.That(response.KeyName, Is.EqualTo("sandbox-apikey"));
            Assert.That(response.ApiKey, Is.EqualTo(KeyOf("apikey")));
            Assert.That(response.Nonce, Is.EqualTo(paper.HighestNonce), "the last nonce Kraken accepted: this call's");
            Assert.That(response.NonceWindow, Is.Zero);
            Assert.That(response.Permissions, Is.EqualTo(KeyPermissions));
            Assert.That(response.Iban, Is.EqualTo(paper.Iiban));
            Assert.That(response.ValidUntil, Is.Null, "Kraken's \"0\": never expires");
            Assert.That(response.QueryFrom, Is.Null);
            Assert.That(response.QueryTo, Is.Null);
            Assert.That(response.CreatedTime, Is.Not.Null);
            Assert.That(response.ModifiedTime, Is.Not.Null);
            Assert.That(response.IpAllowlist, Is.Empty);
            Assert.That(response.LastUsedTime?.ToDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public async Task CreateSubaccount_AddsASubaccountWithItsOwnIiban_ToTheMaster()
    {
        var response = await _gateway.Account.CreateSubaccountAsync(
            new CreateSubaccountRequest { Username = "desk-one", Email = "desk-one@example.com" }, As("subaccount"));
        var paper = Paper("subaccount");

        Assert.Multiple(() =>
        {
            Assert.That(response.Created, Is.True);
            Assert.That(paper.Subaccounts.Select(s => s.Username), Is.EqualTo(new[] { "desk-one" }));
            Assert.That(paper.Subaccounts.Single().Iiban, Is.Not.Empty.And.Not.EqualTo(paper.Iiban));
            Assert.That(paper.Subaccounts.Single().Balances.Values, Is.All.Zero);
        });
    }

    [Test]
    public async Task SubmitSubaccountTransfer_MovesFundsFromTheMasterToItsSubaccountAndBack_WithATransferEntryOnEachSide()
    {
        var account = As("transfer");
        await _gateway.Account.CreateSubaccountAsync(new CreateSubaccountRequest { Username = "desk-two", Email = "desk-two@example.com" }, account);
        var before = Paper("transfer");
        var subaccount = before.Subaccounts.Single();

        var toSubaccount = await _gateway.Account.SubmitSubaccountTransferAsync(
            new SubmitSubaccountTransferRequest { Asset = "ZUSD", Amount = "1234.5678", From = before.Iiban, To = subaccount.Iiban }, account);
        var back = await _gateway.Account.SubmitSubaccountTransferAsync(
            new SubmitSubaccountTransferRequest { Asset = "USD", Amount = "0.0078", From = subaccount.Iiban, To = before.Iiban }, account);
        var tooMuch = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.SubmitSubaccountTransferAsync(
            new SubmitSubaccountTransferRequest { Asset = "ZUSD", Amount = "5000", From = subaccount.Iiban, To = before.Iiban }, account))!;
        var transfers = await _gateway.Account.GetLedgersInfoAsync(new GetLedgersInfoRequest { Type = "transfer" }, account);
        var after = Paper("transfer");

        Assert.Multiple(() =>
        {
            Assert.That(toSubaccount.TransferId, Is.Not.Empty);
            Assert.That(toSubaccount.Status, Is.EqualTo("complete"));
            Assert.That(back.TransferId, Is.Not.Empty.And.Not.EqualTo(toSubaccount.TransferId));
            Assert.That(after.Balance("ZUSD"), Is.EqualTo(before.Balance("ZUSD") - 1234.5678m + 0.0078m));
            Assert.That(after.Subaccounts.Single().Balances["ZUSD"], Is.EqualTo(1234.56m));
            Assert.That(after.Ledger.Where(e => e.Type == "transfer").Select(e => (e.RefId, e.Asset, e.Amount)),
                Is.EqualTo(new[] { (toSubaccount.TransferId, "ZUSD", -1234.5678m), (back.TransferId, "ZUSD", 0.0078m) }));
            Assert.That(transfers.LedgerEntries.Values.Select(e => (e.ReferenceId, e.Amount)),
                Is.EquivalentTo(new[] { (toSubaccount.TransferId, "-1234.5678"), (back.TransferId, "0.0078") }));
            Assert.That(tooMuch.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(tooMuch.ErrorInfo().Reason, Is.EqualTo("INSUFFICIENT_FUNDS"));
            Assert.That(tooMuch.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EFunding:Insufficient funds"));
        });
    }

    // ================================================================================================ OrdersService

    [Test]
    public async Task SubmitOrder_Market_FillsAtOnceAsTaker_AndTheOrderTradeLedgerAndBalancesAgree()
    {
        const string account = "market";
        var before = Paper(account);

        var placed = await _gateway.Orders.SubmitOrderAsync(MarketOrder(OrderSide.Buy, "0.01"), As(account));
        var txid = placed.Txids.Single();
        var orders = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txid }, Trades = true }, As(account));
        var after = Paper(account);
        var order = after.Order(txid)!;
        var trade = after.Trades.Single();
        var fee = decimal.Round(trade.Cost * TakerFee, 4, MidpointRounding.AwayFromZero);

        Assert.Multiple(() =>
        {
            Assert.That(placed.OrderSummary, Is.EqualTo("buy 0.01000000 XBTUSD @ market"));
            Assert.That(placed.ClOrdId, Does.Match("^[0-9a-f]{32}$"), "the gateway generated the client order id");
            Assert.That(order.Status, Is.EqualTo("closed"));
            Assert.That(order.ClOrdId, Is.EqualTo(placed.ClOrdId));
            AssertOrderIs(orders.Orders[txid], order, withTrades: true);
            Assert.That(orders.Orders[txid].OrderFlags, Is.EqualTo(new[] { OrderFlag.Fciq }), "a buy pays its fee in the quote asset");
            Assert.That((trade.OrderTxid, trade.Side, trade.Volume, trade.Maker), Is.EqualTo((txid, "buy", 0.01m, false)));
            Assert.That(trade.Fee, Is.EqualTo(fee), "taker fee: 0.26 % of the cost");
            Assert.That(after.Ledger.Where(e => e.RefId == trade.TradeId).Select(e => (e.Asset, e.Amount, e.Fee)),
                Is.EquivalentTo(new[] { ("ZUSD", -trade.Cost, fee), ("XXBT", 0.01m, 0m) }));
            Assert.That(after.Balance("XXBT"), Is.EqualTo(before.Balance("XXBT") + 0.01m));
            Assert.That(after.Balance("ZUSD"), Is.EqualTo(before.Balance("ZUSD") - trade.Cost - fee));
            Assert.That(after.Holds.Values, Is.All.Zero);
        });
    }

    [Test]
    public async Task SubmitOrder_LimitThatCrossesTheAsk_FillsAtOnceAsTakerAtTheBooksPrice()
    {
        const string account = "crossing";
        var (_, ask) = await TopOfBookAsync();

        var txid = await PlaceAsync(Limit(OrderSide.Buy, "0.001", Text(ask)), account);
        var orders = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txid } }, As(account));
        var paper = Paper(account);
        var trade = paper.Trades.Single();

        Assert.Multiple(() =>
        {
            Assert.That(paper.Order(txid)!.Status, Is.EqualTo("closed"));
            Assert.That(trade.Maker, Is.False);
            Assert.That(trade.Cost, Is.EqualTo(decimal.Round(0.001m * ask, 4, MidpointRounding.AwayFromZero)), "the whole volume at the best ask");
            Assert.That(trade.Fee, Is.EqualTo(decimal.Round(trade.Cost * TakerFee, 4, MidpointRounding.AwayFromZero)));
            AssertOrderIs(orders.Orders[txid], paper.Order(txid)!);
            Assert.That(orders.Orders[txid].Description.Price, Is.EqualTo(PriceText(PairKey, ask)));
        });
    }

    [Test]
    public async Task SubmitOrder_LimitAtTheBid_RestsHoldingQuote_AndFillsWholeAsMakerWhenTheMarketComesToIt()
    {
        const string account = "maker";
        var before = Paper(account);
        var (bid, _) = await TopOfBookAsync();

        var txid = await PlaceAsync(Limit(OrderSide.Buy, "0.01", Text(bid)), account);
        var open = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), As(account));
        var resting = Paper(account);

        StepUntil(() => Paper(account).Order(txid)!.Status != "open", "the resting buy fills");
        var history = await _gateway.Account.GetTradesHistoryAsync(new GetTradesHistoryRequest(), As(account));
        var after = Paper(account);
        var trade = after.Trades.Single();
        var cost = 0.01m * bid;
        var fee = decimal.Round(cost * MakerFee, 4, MidpointRounding.AwayFromZero);

        Assert.Multiple(() =>
        {
            Assert.That(open.OpenOrders.Keys, Is.EqualTo(new[] { txid }));
            AssertOrderIs(open.OpenOrders[txid], resting.Order(txid)!);
            Assert.That(resting.Holds["ZUSD"], Is.EqualTo(cost * (1 + TakerFee)), "held: its cost at its price plus the taker fee");
            Assert.That(after.Order(txid)!.Status, Is.EqualTo("closed"));
            Assert.That((trade.Maker, trade.Price, trade.Cost, trade.Fee), Is.EqualTo((true, bid, cost, fee)), "whole, at its own price, maker fee");
            Assert.That(history.Trades.Keys, Is.EqualTo(new[] { trade.TradeId }));
            AssertTradeIs(history.Trades[trade.TradeId], trade);
            Assert.That(history.Trades[trade.TradeId].Maker, Is.True);
            Assert.That(after.Balance("ZUSD"), Is.EqualTo(before.Balance("ZUSD") - cost - fee));
            Assert.That(after.Balance("XXBT"), Is.EqualTo(before.Balance("XXBT") + 0.01m));
            Assert.That(after.Holds.Values, Is.All.Zero, "nothing held once filled");
        });
    }

    [Test]
    public async Task SubmitOrder_PostOnlyThatWouldCross_EndsCanceledWithTheEmulatorsReason()
    {
        const string account = "postonly";
        var before = Paper(account);
        var (_, ask) = await TopOfBookAsync();
        var order = Limit(OrderSide.Buy, "0.01", Text(ask));
        order.Oflags.Add(OrderFlag.Post);

        var placed = await _gateway.Orders.SubmitOrderAsync(order, As(account));
        var txid = placed.Txids.Single();
        var orders = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txid } }, As(account));
        var after = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(after.Order(txid)!.Status, Is.EqualTo("canceled"), "accepted, then cancelled rather than take liquidity");
            Assert.That(after.Order(txid)!.Reason, Is.EqualTo("Post only order"));
            Assert.That(orders.Orders[txid].Status, Is.EqualTo(OrderStatus.Canceled));
            Assert.That(orders.Orders[txid].Reason, Is.EqualTo("Post only order"));
            Assert.That(orders.Orders[txid].OrderFlags, Does.Contain(OrderFlag.Post));
            AssertOrderIs(orders.Orders[txid], after.Order(txid)!);
            Assert.That(after.Trades, Is.Empty);
            Assert.That(after.Balances, Is.EquivalentTo(before.Balances));
            Assert.That(after.Holds.Values, Is.All.Zero);
        });
    }

    [Test]
    public async Task SubmitOrder_PostOnlyBelowTheAsk_RestsWithThePostFlag()
    {
        const string account = "postonlyrests";
        var (bid, _) = await TopOfBookAsync();
        var order = Limit(OrderSide.Buy, "0.01", Text(bid));
        order.Oflags.Add(OrderFlag.Post);

        var txid = await PlaceAsync(order, account);
        var open = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), As(account));

        Assert.Multiple(() =>
        {
            Assert.That(Paper(account).Order(txid)!.Status, Is.EqualTo("open"));
            Assert.That(open.OpenOrders[txid].OrderFlags, Is.EqualTo(new[] { OrderFlag.Post, OrderFlag.Fciq }));
            AssertOrderIs(open.OpenOrders[txid], Paper(account).Order(txid)!);
        });
    }

    [Test]
    public async Task SubmitOrder_ImmediateOrCancel_TakesWhatItsLimitReaches_AndCancelsTheRest()
    {
        const string account = "ioc";
        var book = await _gateway.MarketData.GetLevel3Async(new GetLevel3Request { Pair = Pair, Depth = 10 }, As(account));
        var bestAsk = D(book.Asks[0].Price);
        var atBestAsk = book.Asks.Where(o => D(o.Price) == bestAsk).Sum(o => D(o.Quantity));
        var order = Limit(OrderSide.Buy, "5", Text(bestAsk));
        order.Timeinforce = TimeInForce.Ioc;

        var txid = await PlaceAsync(order, account);
        var orders = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txid } }, As(account));
        var paper = Paper(account);
        var trade = paper.Trades.Single();

        Assert.Multiple(() =>
        {
            Assert.That(atBestAsk, Is.LessThan(5m), "the best level cannot fill the order");
            Assert.That(paper.Order(txid)!.Status, Is.EqualTo("canceled"));
            Assert.That(paper.Order(txid)!.VolumeExecuted, Is.EqualTo(atBestAsk), "exactly what the best ask level holds");
            Assert.That(trade.Cost, Is.EqualTo(decimal.Round(atBestAsk * bestAsk, 4, MidpointRounding.AwayFromZero)));
            Assert.That(orders.Orders[txid].Status, Is.EqualTo(OrderStatus.Canceled));
            Assert.That(orders.Orders[txid].Reason, Is.Not.Empty.And.EqualTo(paper.Order(txid)!.Reason));
            Assert.That(orders.Orders[txid].VolumeExecuted, Is.EqualTo(VolumeText(PairKey, atBestAsk)));
            AssertOrderIs(orders.Orders[txid], paper.Order(txid)!);
            Assert.That(paper.Holds.Values, Is.All.Zero, "the cancelled rest holds nothing");
        });
    }

    [Test]
    public async Task SubmitOrder_FillOrKill_ThatTheBookCannotFillWholeAtItsLimit_EndsCanceledWithoutATrade_WhileOneItCanFillCloses()
    {
        const string account = "fok";
        var (_, ask) = await TopOfBookAsync();
        var tooBig = Limit(OrderSide.Buy, "5", Text(ask));
        tooBig.Timeinforce = TimeInForce.Fok;
        var fits = Limit(OrderSide.Buy, "0.001", Text(ask));
        fits.Timeinforce = TimeInForce.Fok;

        var killed = await PlaceAsync(tooBig, account);
        var filled = await PlaceAsync(fits, account);
        var orders = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { killed, filled } }, As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(paper.Order(killed)!.Status, Is.EqualTo("canceled"));
            Assert.That(paper.Order(killed)!.VolumeExecuted, Is.Zero);
            Assert.That(orders.Orders[killed].Status, Is.EqualTo(OrderStatus.Canceled));
            Assert.That(orders.Orders[killed].Reason, Is.Not.Empty.And.EqualTo(paper.Order(killed)!.Reason));
            Assert.That(orders.Orders[killed].VolumeExecuted, Is.EqualTo("0.00000000"));
            Assert.That(paper.Order(filled)!.Status, Is.EqualTo("closed"));
            Assert.That(orders.Orders[filled].Status, Is.EqualTo(OrderStatus.Closed));
            Assert.That(paper.Trades.Select(t => t.OrderTxid), Is.EqualTo(new[] { filled }), "the killed order traded nothing");
            AssertOrderIs(orders.Orders[killed], paper.Order(killed)!);
            AssertOrderIs(orders.Orders[filled], paper.Order(filled)!);
        });
    }

    [Test]
    public async Task SubmitOrder_StopLoss_WaitsForItsTrigger_AndFiresWhenAMarketStepTakesTheLastPriceThroughIt()
    {
        const string account = "stoploss";
        var before = Paper(account);
        var tick = D(_pairs[PairKey].TickSize);
        var trigger = _kraken.Market.LastPrice(Pair) - tick;
        var order = new SubmitOrderRequest { Pair = Pair, Type = OrderSide.Sell, Ordertype = OrderType.StopLoss, Volume = "0.01", Price = Text(trigger) };

        var txid = await PlaceAsync(order, account);
        var waiting = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), As(account));

        StepUntil(() => Paper(account).Order(txid)!.Status != "open", "the last price reaches the stop");
        var lastWhenFired = _kraken.Market.LastPrice(Pair);
        var fired = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txid }, Trades = true }, As(account));
        var after = Paper(account);
        var trade = after.Trades.Single();
        var baseFee = decimal.Round(0.01m * TakerFee, _assetDecimals["XXBT"], MidpointRounding.AwayFromZero);

        Assert.Multiple(() =>
        {
            var open = waiting.OpenOrders[txid];
            Assert.That(open.Status, Is.EqualTo(OrderStatus.Open));
            Assert.That(open.Description.OrderType, Is.EqualTo(OrderType.StopLoss));
            Assert.That(open.Description.Price, Is.EqualTo(PriceText(PairKey, trigger)));
            Assert.That(open.StopPrice, Is.EqualTo("0.00000"), "not triggered yet");
            Assert.That(open.MiscInfo, Is.Empty);
            Assert.That(open.Trigger, Is.EqualTo(TriggerType.Last));

            Assert.That(lastWhenFired, Is.LessThanOrEqualTo(trigger));
            var closed = fired.Orders[txid];
            Assert.That(closed.Status, Is.EqualTo(OrderStatus.Closed));
            Assert.That(closed.MiscInfo, Does.Contain("stopped"));
            Assert.That(closed.StopPrice, Is.EqualTo(PriceText(PairKey, trigger)));
            Assert.That(closed.TradeIds, Is.EqualTo(new[] { trade.TradeId }));
            AssertOrderIs(closed, after.Order(txid)!, withTrades: true);
            Assert.That((trade.Side, trade.OrderType, trade.Volume, trade.Maker), Is.EqualTo(("sell", "stop-loss", 0.01m, false)));
            // A sell pays its fee in the base asset unless told otherwise.
            Assert.That(after.Balance("XXBT"), Is.EqualTo(before.Balance("XXBT") - 0.01m - baseFee));
            Assert.That(after.Balance("ZUSD"), Is.EqualTo(before.Balance("ZUSD") + trade.Cost));
        });
    }

    [Test]
    public async Task SubmitOrder_WithAConditionalClose_PlacesTheCloseOrderWhenTheParentFills()
    {
        const string account = "close";
        var closePrice = decimal.Round(_kraken.Market.LastPrice(Pair) * 2, 0);
        var order = MarketOrder(OrderSide.Buy, "0.01");
        order.Close = new ConditionalClose { Ordertype = OrderType.Limit, Price = Text(closePrice) };

        var placed = await _gateway.Orders.SubmitOrderAsync(order, As(account));
        var parent = placed.Txids.Single();
        var open = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), As(account));
        var parentInfo = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { parent } }, As(account));
        var paper = Paper(account);
        var close = paper.OpenOrders.Single();

        Assert.Multiple(() =>
        {
            Assert.That(placed.CloseSummary, Is.EqualTo($"close position @ limit {PriceText(PairKey, closePrice)}"));
            Assert.That(paper.Order(parent)!.Status, Is.EqualTo("closed"));
            Assert.That((close.RefId, close.Side, close.OrderType, close.Volume, close.Price), Is.EqualTo((parent, "sell", "limit", 0.01m, (decimal?)closePrice)));
            Assert.That(open.OpenOrders.Keys, Is.EqualTo(new[] { close.Txid }));
            Assert.That(open.OpenOrders[close.Txid].ReferralOrderTxid, Is.EqualTo(parent));
            Assert.That(open.OpenOrders[close.Txid].Description.Side, Is.EqualTo(OrderSide.Sell));
            AssertOrderIs(open.OpenOrders[close.Txid], close);
            Assert.That(parentInfo.Orders[parent].Description.CloseSummary, Is.EqualTo(placed.CloseSummary));
        });
    }

    [Test]
    public async Task SubmitOrder_Iceberg_RestsWithItsVisibleQuantity()
    {
        const string account = "iceberg";
        var price = FarBelowTheMarket(Pair);
        var order = new SubmitOrderRequest { Pair = Pair, Type = OrderSide.Buy, Ordertype = OrderType.Iceberg, Volume = "1.5", Displayvol = "0.1", Price = Text(price) };

        var txid = await PlaceAsync(order, account);
        var open = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), As(account));
        var amends = await _gateway.Orders.GetOrderAmendsAsync(new GetOrderAmendsRequest { OrderId = txid }, As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(paper.Order(txid)!.OrderType, Is.EqualTo("iceberg"));
            Assert.That(open.OpenOrders[txid].Description.OrderType, Is.EqualTo(OrderType.Iceberg));
            Assert.That(open.OpenOrders[txid].Volume, Is.EqualTo("1.50000000"));
            AssertOrderIs(open.OpenOrders[txid], paper.Order(txid)!);
            var original = amends.Amends.Single();
            Assert.That((original.AmendType, original.OrderQuantity, original.DisplayQuantity), Is.EqualTo((OrderAmendType.Original, "1.50000000", "0.10000000")));
            Assert.That(paper.Holds["ZUSD"], Is.EqualTo(1.5m * price * (1 + TakerFee)), "the whole volume is held, not only the visible part");
        });
    }

    [Test]
    public async Task SubmitOrder_WithValidateOnly_DescribesTheOrderButPlacesNothing()
    {
        const string account = "validate";
        var before = Paper(account);
        var order = Limit(OrderSide.Buy, "0.5", "40000");
        order.Validate = true;

        var response = await _gateway.Orders.SubmitOrderAsync(order, As(account));
        var after = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(response.Txids, Is.Empty);
            Assert.That(response.OrderSummary, Is.EqualTo("buy 0.50000000 XBTUSD @ limit 40000.0"));
            Assert.That(after.OpenOrders, Is.Empty);
            Assert.That(after.ClosedOrders, Is.Empty);
            Assert.That(after.Balances, Is.EquivalentTo(before.Balances));
            Assert.That(after.Holds.Values, Is.All.Zero);
        });
    }

    [Test]
    public async Task SubmitOrder_WithACallersClOrdId_EchoesIt_WithoutOne_ReturnsTheIdTheGatewayGaveTheOrder_AndWithUserrefSendsNone()
    {
        const string account = "clordid";
        const string uuid = "6d1b345e-2821-40e2-ad83-4ecb18a06876";
        const string free = "desk-7/order-0001";
        var price = Text(FarBelowTheMarket(Pair));
        var withUuid = Limit(OrderSide.Buy, "0.01", price);
        withUuid.ClOrdId = uuid;
        var withText = Limit(OrderSide.Buy, "0.01", price);
        withText.ClOrdId = free;
        var withUserref = Limit(OrderSide.Buy, "0.01", price);
        withUserref.Userref = 31;

        var byUuid = await _gateway.Orders.SubmitOrderAsync(withUuid, As(account));
        var byText = await _gateway.Orders.SubmitOrderAsync(withText, As(account));
        var generated = await _gateway.Orders.SubmitOrderAsync(Limit(OrderSide.Buy, "0.01", price), As(account));
        var byUserref = await _gateway.Orders.SubmitOrderAsync(withUserref, As(account));
        var filtered = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest { ClOrdId = uuid }, As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(byUuid.ClOrdId, Is.EqualTo(uuid));
            Assert.That(byText.ClOrdId, Is.EqualTo(free));
            Assert.That(generated.ClOrdId, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(byUserref.ClOrdId, Is.Empty, "userref and cl_ord_id exclude each other");
            Assert.That(paper.Order(byUuid.Txids.Single())!.ClOrdId, Is.EqualTo(uuid));
            Assert.That(paper.Order(byText.Txids.Single())!.ClOrdId, Is.EqualTo(free));
            Assert.That(paper.Order(generated.Txids.Single())!.ClOrdId, Is.EqualTo(generated.ClOrdId));
            Assert.That((paper.Order(byUserref.Txids.Single())!.ClOrdId, paper.Order(byUserref.Txids.Single())!.UserRef), Is.EqualTo(((string?)null, (int?)31)));
            Assert.That(filtered.OpenOrders.Keys, Is.EqualTo(new[] { byUuid.Txids.Single() }));
            Assert.That(filtered.OpenOrders.Values.Single().ClOrdId, Is.EqualTo(uuid));
        });
    }

    [Test]
    public async Task SubmitOrder_WithTheClOrdIdOfAnOpenOrder_IsRefused_WithKrakensErrorTextInErrorInfo_UntilThatOrderIsGone()
    {
        const string account = "duplicate";
        var price = Text(FarBelowTheMarket(Pair));
        var first = Limit(OrderSide.Buy, "0.01", price);
        first.ClOrdId = "dup-0001";
        var firstTxid = await PlaceAsync(first, account);

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitOrderAsync(first, As(account)))!;
        var whileOpen = Paper(account);
        await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { ClOrdId = "dup-0001" }, As(account));
        var again = await _gateway.Orders.SubmitOrderAsync(first, As(account));

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition), "an EOrder error the gateway's table does not name");
            var info = failure.ErrorInfo();
            Assert.That(info.Domain, Is.EqualTo("api.kraken.com"));
            Assert.That(info.Reason, Is.EqualTo("KRAKEN_ERROR"));
            Assert.That(info.Metadata["kraken_error"], Is.EqualTo("EOrder:Duplicate order"));
            Assert.That(info.Metadata["endpoint"], Is.EqualTo("AddOrder"));
            Assert.That(whileOpen.OpenOrders.Select(o => o.Txid), Is.EqualTo(new[] { firstTxid }), "the refused order was not placed");
            Assert.That(again.ClOrdId, Is.EqualTo("dup-0001"), "unique among open orders only");
            Assert.That(Paper(account).OpenOrders.Select(o => o.ClOrdId), Is.EqualTo(new[] { "dup-0001" }));
        });
    }

    [Test]
    public async Task SubmitOrder_BeyondTheAvailableBalance_IsFailedPrecondition_WithReasonInsufficientFunds()
    {
        const string account = "funds";

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Orders.SubmitOrderAsync(Limit(OrderSide.Buy, "1", "40000"), As(account)))!;
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("INSUFFICIENT_FUNDS"));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EOrder:Insufficient funds"));
            Assert.That(paper.OpenOrders.Concat(paper.ClosedOrders), Is.Empty);
            Assert.That(paper.Balance("ZUSD"), Is.EqualTo(100m));
        });
    }

    [Test]
    public async Task GetOpenOrders_ListsTheRestingOrdersWithTheirTerms_AndFiltersByUserrefAndClOrdId()
    {
        var placed = await QueriedOrdersAsync();
        var account = As("queries");

        var all = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), account);
        var byUserref = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest { Userref = 77 }, account);
        var byClOrdId = await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest { ClOrdId = "queries-sell-1" }, account);
        var paper = Paper("queries");

        Assert.Multiple(() =>
        {
            Assert.That(all.OpenOrders.Keys, Is.EquivalentTo(new[] { placed.RestingBuy, placed.RestingSell }));
            foreach (var txid in all.OpenOrders.Keys)
            {
                AssertOrderIs(all.OpenOrders[txid], paper.Order(txid)!);
            }
            Assert.That(all.OpenOrders[placed.RestingBuy].Userref, Is.EqualTo(77));
            Assert.That(all.OpenOrders[placed.RestingSell].Description.Side, Is.EqualTo(OrderSide.Sell));
            Assert.That(all.OpenOrders[placed.RestingSell].OrderFlags, Is.EqualTo(new[] { OrderFlag.Fcib }), "a sell pays its fee in the base asset");
            Assert.That(byUserref.OpenOrders.Keys, Is.EqualTo(new[] { placed.RestingBuy }));
            Assert.That(byClOrdId.OpenOrders.Keys, Is.EqualTo(new[] { placed.RestingSell }));
        });
    }

    [Test]
    public async Task GetClosedOrders_ListsFilledAndCanceledOrders_WithCloseTimesReasonsTradesAndCount()
    {
        var placed = await QueriedOrdersAsync();

        var closed = await _gateway.Orders.GetClosedOrdersAsync(new GetClosedOrdersRequest { Trades = true }, As("queries"));
        var paper = Paper("queries");

        Assert.Multiple(() =>
        {
            Assert.That(closed.ClosedOrders.Keys, Is.EquivalentTo(new[] { placed.Filled, placed.Canceled }));
            Assert.That(closed.TotalCount, Is.EqualTo(2));
            foreach (var txid in closed.ClosedOrders.Keys)
            {
                AssertOrderIs(closed.ClosedOrders[txid], paper.Order(txid)!, withTrades: true);
                Assert.That(closed.ClosedOrders[txid].CloseTime, Is.Not.Null, txid);
            }
            Assert.That(closed.ClosedOrders[placed.Filled].Status, Is.EqualTo(OrderStatus.Closed));
            Assert.That(closed.ClosedOrders[placed.Filled].TradeIds, Has.Count.EqualTo(1));
            Assert.That(closed.ClosedOrders[placed.Canceled].Status, Is.EqualTo(OrderStatus.Canceled));
            Assert.That(closed.ClosedOrders[placed.Canceled].Reason, Is.EqualTo("User requested"));
        });
    }

    [Test]
    public async Task GetOrders_ByTxid_ReturnsOpenAndClosedOrdersAlike()
    {
        var placed = await QueriedOrdersAsync();
        var txids = new[] { placed.RestingBuy, placed.RestingSell, placed.Filled, placed.Canceled };

        var response = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txids }, Trades = true }, As("queries"));
        var paper = Paper("queries");

        Assert.Multiple(() =>
        {
            Assert.That(response.Orders.Keys, Is.EquivalentTo(txids));
            Assert.That(txids.Select(t => response.Orders[t].Status),
                Is.EqualTo(new[] { OrderStatus.Open, OrderStatus.Open, OrderStatus.Closed, OrderStatus.Canceled }));
            foreach (var txid in txids)
            {
                AssertOrderIs(response.Orders[txid], paper.Order(txid)!, withTrades: true);
            }
        });
    }

    [Test]
    public async Task GetOrderAmends_ListsTheOriginalTermsThenEachAmend_OldestFirst()
    {
        const string account = "amends";
        var txid = await PlaceAsync(Limit(OrderSide.Buy, "0.5", "40000"), account);
        var first = await _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { Txid = txid, OrderQty = "0.3" }, As(account));
        var second = await _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { Txid = txid, LimitPrice = "39000.5" }, As(account));

        var response = await _gateway.Orders.GetOrderAmendsAsync(new GetOrderAmendsRequest { OrderId = txid }, As(account));

        Assert.Multiple(() =>
        {
            Assert.That(response.Count, Is.EqualTo(3));
            Assert.That(response.Amends.Select(a => (a.AmendType, a.OrderQuantity, a.RemainingQuantity, a.LimitPrice)), Is.EqualTo(new[]
            {
                (OrderAmendType.Original, "0.50000000", "0.50000000", "40000.0"),
                (OrderAmendType.User, "0.30000000", "0.30000000", "40000.0"),
                (OrderAmendType.User, "0.30000000", "0.30000000", "39000.5"),
            }));
            Assert.That(response.Amends.Skip(1).Select(a => a.AmendId), Is.EqualTo(new[] { first.AmendId, second.AmendId }));
            Assert.That(response.Amends.Select(a => a.Time), Is.All.Not.Null);
            Assert.That(response.Amends.Select(a => (a.Time.Seconds * 1_000_000_000L) + a.Time.Nanos), Is.Ordered.Ascending);
            Assert.That(Paper(account).Order(txid)!.AmendCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task AmendOrder_ByTxidAndByClOrdId_ChangesQuantityAndPriceInPlace_AndTheHold()
    {
        const string account = "amend";
        var order = Limit(OrderSide.Buy, "0.5", "40000");
        order.ClOrdId = "amend-me-1";
        var txid = await PlaceAsync(order, account);

        var byTxid = await _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { Txid = txid, OrderQty = "0.4", LimitPrice = "41000" }, As(account));
        var byClOrdId = await _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { ClOrdId = "amend-me-1", LimitPrice = "41500" }, As(account));
        var orders = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { txid } }, As(account));
        var paper = Paper(account);
        var amended = paper.Order(txid)!;

        Assert.Multiple(() =>
        {
            Assert.That(byTxid.AmendId, Is.Not.Empty);
            Assert.That(byClOrdId.AmendId, Is.Not.Empty.And.Not.EqualTo(byTxid.AmendId));
            Assert.That(paper.OpenOrders.Select(o => o.Txid), Is.EqualTo(new[] { txid }), "same order, same txid");
            Assert.That((amended.Volume, amended.Price, amended.ClOrdId, amended.AmendCount), Is.EqualTo((0.4m, (decimal?)41_500m, "amend-me-1", 2)));
            Assert.That(paper.Holds["ZUSD"], Is.EqualTo(0.4m * 41_500m * (1 + TakerFee)), "the hold follows the amended terms");
            var mapped = orders.Orders[txid];
            Assert.That((mapped.Volume, mapped.Description.Price, mapped.ClOrdId), Is.EqualTo(("0.40000000", "41500.0", "amend-me-1")));
            Assert.That(mapped.MiscInfo, Does.Contain("amended"));
            AssertOrderIs(mapped, amended);
        });
    }

    [Test]
    public async Task EditOrder_ReplacesTheOrderWithANewTxid_AndCancelsTheOriginal()
    {
        const string account = "edit";
        var order = Limit(OrderSide.Buy, "0.5", "40000");
        order.Userref = 4242; // EditOrder refuses orders carrying a cl_ord_id: place this one with a userref instead.
        var original = await PlaceAsync(order, account);

        var edited = await _gateway.Orders.EditOrderAsync(
            new EditOrderRequest { Txid = original, Pair = Pair, Volume = "0.3", Price = "41000", Userref = 4343 }, As(account));
        var orders = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { original, edited.NewTxid } }, As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(edited.Status, Is.EqualTo(EditOrderStatus.Ok));
            Assert.That(edited.NewTxid, Is.Not.Empty.And.Not.EqualTo(original));
            Assert.That(edited.OriginalTxid, Is.EqualTo(original));
            Assert.That((edited.Volume, edited.Price, edited.OrdersCancelled), Is.EqualTo(("0.30000000", "41000.0", 1)));
            Assert.That((edited.NewUserref, edited.OldUserref), Is.EqualTo((4343, 4242)));
            Assert.That(edited.OrderSummary, Is.EqualTo("buy 0.30000000 XBTUSD @ limit 41000.0"));
            Assert.That(edited.ErrorMessage, Is.Empty);

            Assert.That((paper.Order(original)!.Status, paper.Order(original)!.Reason), Is.EqualTo(("canceled", "Order replaced")));
            var replacement = paper.Order(edited.NewTxid)!;
            Assert.That((replacement.Status, replacement.Volume, replacement.Price, replacement.UserRef), Is.EqualTo(("open", 0.3m, (decimal?)41_000m, (int?)4343)));
            Assert.That(paper.OpenOrders.Select(o => o.Txid), Is.EqualTo(new[] { edited.NewTxid }));
            Assert.That(paper.Holds["ZUSD"], Is.EqualTo(0.3m * 41_000m * (1 + TakerFee)));
            Assert.That((orders.Orders[original].Status, orders.Orders[original].Reason), Is.EqualTo((OrderStatus.Canceled, "Order replaced")));
            AssertOrderIs(orders.Orders[original], paper.Order(original)!);
            AssertOrderIs(orders.Orders[edited.NewTxid], replacement);
        });
    }

    [Test]
    public async Task EditOrder_OfAnOrderPlacedWithAClOrdId_IsRefused_AndTheOrderStaysAsItWas()
    {
        const string account = "editclordid";
        var txid = await PlaceAsync(Limit(OrderSide.Buy, "0.5", "40000"), account);

        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Orders.EditOrderAsync(new EditOrderRequest { Txid = txid, Pair = Pair, Volume = "0.3" }, As(account)))!;
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(failure.ErrorInfo().Domain, Is.EqualTo("api.kraken.com"), "Kraken refused it, not the gateway");
            Assert.That(failure.ErrorInfo().Metadata["endpoint"], Is.EqualTo("EditOrder"));
            Assert.That(paper.OpenOrders.Select(o => (o.Txid, o.Volume)), Is.EqualTo(new[] { (txid, 0.5m) }));
        });
    }

    [Test]
    public async Task CancelOrder_ByTxidAndByClOrdId_CancelsExactlyThoseOrders_AndAGoneOrderIsNotFound()
    {
        const string account = "cancel";
        var price = Text(FarBelowTheMarket(Pair));
        var byTxid = await PlaceAsync(Limit(OrderSide.Buy, "0.1", price), account);
        var byClOrdId = await _gateway.Orders.SubmitOrderAsync(Limit(OrderSide.Buy, "0.2", price), As(account));
        var kept = await PlaceAsync(Limit(OrderSide.Buy, "0.3", price), account);

        var first = await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = byTxid }, As(account));
        var second = await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { ClOrdId = byClOrdId.ClOrdId }, As(account));
        var again = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = byTxid }, As(account)))!;
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That((first.Count, first.Pending), Is.EqualTo((1, false)));
            Assert.That((second.Count, second.Pending), Is.EqualTo((1, false)));
            Assert.That((paper.Order(byTxid)!.Status, paper.Order(byTxid)!.Reason), Is.EqualTo(("canceled", "User requested")));
            Assert.That((paper.Order(byClOrdId.Txids.Single())!.Status, paper.Order(byClOrdId.Txids.Single())!.Reason), Is.EqualTo(("canceled", "User requested")));
            Assert.That(paper.OpenOrders.Select(o => o.Txid), Is.EqualTo(new[] { kept }));
            Assert.That(paper.Holds["ZUSD"], Is.EqualTo(0.3m * D(price) * (1 + TakerFee)), "only the kept order still holds");
            Assert.That(again.StatusCode, Is.EqualTo(StatusCode.NotFound), "cancelling twice is safe: the second finds nothing");
            Assert.That(again.ErrorInfo().Reason, Is.EqualTo("UNKNOWN_ORDER"));
        });
    }

    [Test]
    public void CancelOrder_OfAnUnknownTxid_IsNotFound_WithKrakensText()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = "OABCDE-FGHIJ-KLMNOP" }, As("unknown")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("UNKNOWN_ORDER"));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EOrder:Invalid order"));
            Assert.That(failure.ErrorInfo().Metadata["endpoint"], Is.EqualTo("CancelOrder"));
        });
    }

    [Test]
    public void AmendOrder_OfAnUnknownTxid_IsNotFound_WithKrakensText()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Orders.AmendOrderAsync(new AmendOrderRequest { Txid = "OABCDE-FGHIJ-KLMNOP", OrderQty = "1" }, As("unknown")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("UNKNOWN_ORDER"));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EOrder:Invalid order"));
        });
    }

    [Test]
    public async Task CancelAllOrders_CancelsEveryOpenOrderOnEveryPair_AndLeavesClosedOrdersAlone()
    {
        const string account = "cancelall";
        var filled = await PlaceAsync(MarketOrder(OrderSide.Buy, "0.01"), account);
        var resting = new[]
        {
            await PlaceAsync(Limit(OrderSide.Buy, "0.1", Text(FarBelowTheMarket(Pair))), account),
            await PlaceAsync(Limit(OrderSide.Buy, "0.2", Text(FarBelowTheMarket(Pair))), account),
            await PlaceAsync(Limit(OrderSide.Buy, "1", Text(FarBelowTheMarket("ETHUSD")), "ETHUSD"), account),
        };

        var response = await _gateway.Orders.CancelAllOrdersAsync(new CancelAllOrdersRequest(), As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That((response.Count, response.Pending), Is.EqualTo((3, false)));
            Assert.That(paper.OpenOrders, Is.Empty);
            Assert.That(resting.Select(t => paper.Order(t)!.Status), Is.All.EqualTo("canceled"));
            Assert.That(paper.Order(filled)!.Status, Is.EqualTo("closed"));
            Assert.That(paper.Holds.Values, Is.All.Zero);
        });
    }

    [Test]
    public async Task CancelAllOrdersAfter_ArmedWithAShortTimeout_CancelsEveryOpenOrderWhenItPasses()
    {
        const string account = "deadman";
        var price = Text(FarBelowTheMarket(Pair));
        var orders = new[]
        {
            await PlaceAsync(Limit(OrderSide.Buy, "0.1", price), account),
            await PlaceAsync(Limit(OrderSide.Buy, "0.2", price), account),
        };

        var armed = await _gateway.Orders.CancelAllOrdersAfterAsync(
            new CancelAllOrdersAfterRequest { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) }, As(account));
        await WaitUntilAsync(() => Task.FromResult(Paper(account).OpenOrders.Count == 0), "the dead man's switch cancels the orders",
            TimeSpan.FromMilliseconds(200));
        var closed = await _gateway.Orders.GetOrdersAsync(new GetOrdersRequest { Txid = { orders } }, As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(armed.CurrentTime, Is.Not.Null);
            Assert.That(armed.TriggerTime.ToDateTimeOffset() - armed.CurrentTime.ToDateTimeOffset(), Is.EqualTo(TimeSpan.FromSeconds(2)));
            foreach (var txid in orders)
            {
                Assert.That(paper.Order(txid)!.Status, Is.EqualTo("canceled"), txid);
                Assert.That(closed.Orders[txid].Status, Is.EqualTo(OrderStatus.Canceled), txid);
                Assert.That(closed.Orders[txid].Reason, Is.Not.Empty.And.EqualTo(paper.Order(txid)!.Reason), txid);
            }
        });
    }

    [Test]
    public async Task CancelAllOrdersAfter_DisarmedWithZero_LeavesTheOrdersOpenPastTheOldTimeout()
    {
        const string account = "disarm";
        var txid = await PlaceAsync(Limit(OrderSide.Buy, "0.1", Text(FarBelowTheMarket(Pair))), account);
        var timeout = TimeSpan.FromSeconds(3);

        var armedAt = Stopwatch.StartNew();
        await _gateway.Orders.CancelAllOrdersAfterAsync(new CancelAllOrdersAfterRequest { Timeout = Duration.FromTimeSpan(timeout) }, As(account));
        var disarmed = await _gateway.Orders.CancelAllOrdersAfterAsync(new CancelAllOrdersAfterRequest { Timeout = new Duration() }, As(account));
        // Nothing can be seen to not happen without waiting: past the old trigger time, with a margin.
        var rest = timeout + TimeSpan.FromSeconds(1.5) - armedAt.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }

        Assert.Multiple(() =>
        {
            Assert.That(disarmed.CurrentTime, Is.Not.Null);
            Assert.That(disarmed.TriggerTime, Is.Null, "Kraken's \"0\": the timer is off");
            Assert.That(Paper(account).Order(txid)!.Status, Is.EqualTo("open"));
        });
    }

    [Test]
    public async Task SubmitBatchOrders_ReportsEachOrdersOutcomeInRequestOrder_AndARefusedOrderCarriesItsOwnError()
    {
        const string account = "batch";
        var below = FarBelowTheMarket(Pair);
        var above = decimal.Round(_kraken.Market.LastPrice(Pair) * 2, 0);
        var batch = new SubmitBatchOrdersRequest
        {
            Pair = Pair,
            Orders =
            {
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.1", Price = Text(below) },
                new BatchOrder { Type = OrderSide.Sell, Ordertype = OrderType.Limit, Volume = "5", Price = Text(above) },
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.2", Price = Text(below), ClOrdId = "batch-three" },
            },
        };

        var response = await _gateway.Orders.SubmitBatchOrdersAsync(batch, As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(response.Orders, Has.Count.EqualTo(3));
            var (first, refused, third) = (response.Orders[0], response.Orders[1], response.Orders[2]);
            Assert.That((first.Error, first.OrderSummary), Is.EqualTo((string.Empty, $"buy 0.10000000 XBTUSD @ limit {PriceText(PairKey, below)}")));
            Assert.That(first.Txid, Is.Not.Empty);
            Assert.That(first.ClOrdId, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(refused.Txid, Is.Empty, "only 0.5 XBT to sell 5");
            Assert.That(refused.Error, Is.EqualTo("EOrder:Insufficient funds"));
            Assert.That(refused.OrderSummary, Is.EqualTo($"sell 5.00000000 XBTUSD @ limit {PriceText(PairKey, above)}"));
            Assert.That((third.Error, third.ClOrdId), Is.EqualTo((string.Empty, "batch-three")));
            Assert.That(third.Txid, Is.Not.Empty);

            Assert.That(paper.OpenOrders.Select(o => o.Txid), Is.EquivalentTo(new[] { first.Txid, third.Txid }));
            Assert.That(paper.ClosedOrders, Is.Empty, "the refused order left no trace");
            Assert.That(paper.Order(first.Txid)!.ClOrdId, Is.EqualTo(first.ClOrdId));
            Assert.That(paper.Order(third.Txid)!.ClOrdId, Is.EqualTo("batch-three"));
            Assert.That(paper.Holds["ZUSD"], Is.EqualTo(0.3m * below * (1 + TakerFee)));
        });
    }

    [Test]
    public async Task SubmitBatchOrders_WithAnOrderOffTheTickSize_IsRefusedWhole_AndPlacesNothing()
    {
        const string account = "batchinvalid";
        var batch = new SubmitBatchOrdersRequest
        {
            Pair = Pair,
            Orders =
            {
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.1", Price = "40000" },
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.1", Price = "40000.05" },
            },
        };

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.SubmitBatchOrdersAsync(batch, As(account)))!;
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("TICK_SIZE_CHECK_FAILED"));
            Assert.That(failure.ErrorInfo().Metadata["kraken_error"], Is.EqualTo("EOrder:Tick size check failed"));
            Assert.That(failure.ErrorInfo().Metadata["endpoint"], Is.EqualTo("AddOrderBatch"));
            Assert.That(paper.OpenOrders.Concat(paper.ClosedOrders), Is.Empty);
        });
    }

    [Test]
    public async Task CancelBatchOrders_CancelsTheOrdersNamedByTxidAndByClOrdId_AndNoOther()
    {
        const string account = "cancelbatch";
        var price = Text(FarBelowTheMarket(Pair));
        var placed = await _gateway.Orders.SubmitBatchOrdersAsync(new SubmitBatchOrdersRequest
        {
            Pair = Pair,
            Orders =
            {
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.1", Price = price },
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.1", Price = price, ClOrdId = "cancel-by-id" },
                new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Limit, Volume = "0.1", Price = price },
            },
        }, As(account));
        var txids = placed.Orders.Select(o => o.Txid).ToList();

        var response = await _gateway.Orders.CancelBatchOrdersAsync(new CancelBatchOrdersRequest { Orders = { txids[0] }, ClOrdIds = { "cancel-by-id" } }, As(account));
        var paper = Paper(account);

        Assert.Multiple(() =>
        {
            Assert.That(response.Count, Is.EqualTo(2));
            Assert.That(txids.Take(2).Select(t => (paper.Order(t)!.Status, paper.Order(t)!.Reason)), Is.All.EqualTo(("canceled", "User requested")));
            Assert.That(paper.OpenOrders.Select(o => o.Txid), Is.EqualTo(new[] { txids[2] }));
        });
    }

    // ================================================================================================ MarketDataService (signed)

    [Test]
    public async Task GetLevel3_ReturnsTheEmulatedBookOrderByOrder_AddingUpToEachLevelOfTheLevel2Book()
    {
        var level3 = await _gateway.MarketData.GetLevel3Async(new GetLevel3Request { Pair = "BTC/USD", Depth = 10 }, As("level3"));
        var depth = (await _gateway.MarketData.GetOrderBookAsync(new GetOrderBookRequest { Pair = Pair, Count = 10 })).Books[PairKey];

        Assert.Multiple(() =>
        {
            Assert.That(level3.Pair, Is.EqualTo("BTC/USD"));
            AssertLevel3Side(level3.Bids, depth.Bids, "bids");
            AssertLevel3Side(level3.Asks, depth.Asks, "asks");
            Assert.That(D(level3.Bids[0].Price), Is.LessThan(D(level3.Asks[0].Price)));
            Assert.That(level3.Bids.Concat(level3.Asks).Select(o => o.OrderId), Is.Unique);
            Assert.That(level3.Bids.Concat(level3.Asks).Select(o => o.OrderId), Is.All.Match("^O[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{6}$"));
        });
    }

    // ================================================================================================ coverage

    [Test]
    public void EveryAccountAndOrdersRpc_AndGetLevel3_HasATestHere_NamedAfterIt()
    {
        // The Stream* subscriptions (polled private streams) have their own tests with the other streams.
        var rpcs = AccountService.Descriptor.Methods.Concat(OrdersService.Descriptor.Methods)
            .Where(m => !(m.IsServerStreaming && m.Name.StartsWith("Stream", StringComparison.Ordinal)))
            .Select(m => m.Name)
            .Append("GetLevel3");
        var tested = typeof(AccountAndOrdersSandboxTests).GetMethods()
            .Where(m => m.GetCustomAttribute<TestAttribute>() is not null)
            .Select(m => m.Name.Split('_')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.That(rpcs.Where(rpc => !tested.Contains(rpc)), Is.Empty);
    }

    // ================================================================================================ helpers

    private static Metadata As(string account) => new() { { "kraken-account", account } };

    private string KeyOf(string account) => _credentials[account].Key;

    private PaperAccountSnapshot Paper(string account) => _kraken.Accounts[KeyOf(account)];

    private static decimal D(string text) =>
        decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Kraken's fixed-point text: rounded half away from zero and padded to exactly <paramref name="decimals"/> places.</summary>
    private static string Fixed(decimal value, int decimals) =>
        decimal.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private string AssetText(string asset, decimal value) => Fixed(value, _assetDecimals[asset]);

    private string VolumeText(string pairKey, decimal value) => Fixed(value, _pairs[pairKey].VolumeDecimals);

    private string PriceText(string pairKey, decimal value) => Fixed(value, _pairs[pairKey].PriceDecimals);

    /// <summary>An order's cost, fee and average price: pair_decimals, and "0.00000" while zero (Kraken's examples).</summary>
    private string OrderAmountText(string pairKey, decimal value) => value == 0m ? "0.00000" : PriceText(pairKey, value);

    /// <summary>Kraken writes the times of private records as unix seconds with four decimals, cut (not rounded).</summary>
    private static Timestamp FourDecimals(DateTimeOffset time)
    {
        var ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        return new Timestamp { Seconds = ticks / TimeSpan.TicksPerSecond, Nanos = (int)(ticks % TimeSpan.TicksPerSecond / 1_000 * 100_000) };
    }

    private static SubmitOrderRequest Limit(OrderSide side, string volume, string price, string pair = Pair) =>
        new() { Pair = pair, Type = side, Ordertype = OrderType.Limit, Volume = volume, Price = price };

    private static SubmitOrderRequest MarketOrder(OrderSide side, string volume) =>
        new() { Pair = Pair, Type = side, Ordertype = OrderType.Market, Volume = volume };

    private async Task<string> PlaceAsync(SubmitOrderRequest order, string account) =>
        (await _gateway.Orders.SubmitOrderAsync(order, As(account))).Txids.Single();

    /// <summary>Half the last price, in whole units (on every pair's tick): a buy there rests and never fills.</summary>
    private decimal FarBelowTheMarket(string pair) => decimal.Round(_kraken.Market.LastPrice(pair) / 2, 0);

    private async Task<(decimal Bid, decimal Ask)> TopOfBookAsync()
    {
        var book = (await _gateway.MarketData.GetOrderBookAsync(new GetOrderBookRequest { Pair = Pair, Count = 1 })).Books[PairKey];
        return (D(book.Bids[0].Price), D(book.Asks[0].Price));
    }

    /// <summary>Moves the market one step at a time until <paramref name="done"/>; the random walk gets there within a few hundred steps.</summary>
    private void StepUntil(Func<bool> done, string what)
    {
        const int maxSteps = 1_000;
        for (var step = 0; step < maxSteps && !done(); step++)
        {
            _kraken.Market.Step();
        }
        Assert.That(done(), Is.True, $"{what}: not within {maxSteps} market steps");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan pollInterval)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > Patience)
            {
                Assert.Fail($"Gave up after {Patience.TotalSeconds} s waiting until {what}.");
            }
            await Task.Delay(pollInterval);
        }
    }

    /// <summary>52 market fills (four batches of 13): more trades and ledger entries than one page of 50.</summary>
    private Task FillHistoryAsync() => _historyFilled ??= FillAsync();

    private async Task FillAsync()
    {
        for (var batch = 0; batch < 4; batch++)
        {
            var request = new SubmitBatchOrdersRequest { Pair = Pair };
            request.Orders.AddRange(Enumerable.Range(0, 13).Select(_ => new BatchOrder { Type = OrderSide.Buy, Ordertype = OrderType.Market, Volume = "0.001" }));
            var placed = await _gateway.Orders.SubmitBatchOrdersAsync(request, As("history"));
            if (placed.Orders.Any(o => o.Error.Length > 0 || o.Txid.Length == 0))
            {
                throw new InvalidOperationException($"A fill of the history account failed: {placed}");
            }
        }
    }

    private sealed record QueriedOrders(string RestingBuy, string RestingSell, string Filled, string Canceled);

    /// <summary>The "queries" account's orders: two resting (one with a userref, one with a caller's cl_ord_id), one filled, one cancelled.</summary>
    private Task<QueriedOrders> QueriedOrdersAsync() => _queriedOrders ??= PlaceQueriedOrdersAsync();

    private async Task<QueriedOrders> PlaceQueriedOrdersAsync()
    {
        const string account = "queries";
        var buy = Limit(OrderSide.Buy, "0.2", "40000");
        buy.Userref = 77;
        var sell = Limit(OrderSide.Sell, "0.3", Text(decimal.Round(_kraken.Market.LastPrice(Pair) * 2, 0)));
        sell.ClOrdId = "queries-sell-1";
        var restingBuy = await PlaceAsync(buy, account);
        var restingSell = await PlaceAsync(sell, account);
        var filled = await PlaceAsync(MarketOrder(OrderSide.Buy, "0.01"), account);
        var canceled = await PlaceAsync(Limit(OrderSide.Buy, "0.1", "41000"), account);
        await _gateway.Orders.CancelOrderAsync(new CancelOrderRequest { Txid = canceled }, As(account));
        return new QueriedOrders(restingBuy, restingSell, filled, canceled);
    }

    private async Task<ExportReportInfo> WaitUntilProcessedAsync(string account, ExportReportKind kind, string id)
    {
        ExportReportInfo? report = null;
        await WaitUntilAsync(async () =>
        {
            var status = await _gateway.Account.GetLedgersExportStatusAsync(new GetLedgersExportStatusRequest { Report = kind }, As(account));
            report = status.Reports.SingleOrDefault(r => r.Id == id);
            return report?.Status == ExportReportStatus.Processed;
        }, $"export {id} is processed", TimeSpan.FromSeconds(1));
        return report!;
    }

    /// <summary>The chunks of GetLedgersExport, concatenated in the order received.</summary>
    private async Task<byte[]> DownloadAsync(string account, string id)
    {
        using var call = _gateway.Account.GetLedgersExport(new GetLedgersExportRequest { Id = id }, As(account));
        using var bytes = new MemoryStream();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            message.Chunk.WriteTo(bytes);
        }
        return bytes.ToArray();
    }

    private static Dictionary<string, string> Unzip(byte[] zip)
    {
        using var stream = new MemoryStream(zip);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }

    /// <summary>Kraken's export CSV: every value quoted, quotes doubled inside a value, one record per line.</summary>
    private static List<string[]> ParseCsv(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseCsvLine).ToList();

    private static string[] ParseCsvLine(string line)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                values.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        values.Add(current.ToString());
        return [.. values];
    }

    /// <summary>One order as the gateway mapped it against the paper order: every field, as Kraken's text.</summary>
    private void AssertOrderIs(OrderInfo mapped, PaperOrderSnapshot paper, bool withTrades = false)
    {
        var pair = paper.Pair;
        var averagePrice = paper.VolumeExecuted == 0m ? 0m : paper.Cost / paper.VolumeExecuted;
        var id = paper.Txid;
        Assert.That(mapped.Status, Is.EqualTo(OrderStatuses[paper.Status]), $"{id} status");
        Assert.That(mapped.Reason, Is.EqualTo(paper.Reason ?? string.Empty), $"{id} reason");
        Assert.That(mapped.Userref, Is.EqualTo(paper.UserRef ?? 0), $"{id} userref");
        Assert.That(mapped.ClOrdId, Is.EqualTo(paper.ClOrdId ?? string.Empty), $"{id} cl_ord_id");
        Assert.That(mapped.ReferralOrderTxid, Is.EqualTo(paper.RefId ?? string.Empty), $"{id} refid");
        Assert.That(mapped.OpenTime, Is.EqualTo(FourDecimals(paper.OpenedAt)), $"{id} opentm");
        Assert.That(mapped.CloseTime, Is.EqualTo(paper.ClosedAt is { } closedAt ? FourDecimals(closedAt) : null), $"{id} closetm");
        Assert.That(mapped.StartTime, Is.Null, $"{id} starttm: started at once");
        Assert.That(mapped.ExpireTime, Is.Null, $"{id} expiretm: no expiry");
        Assert.That(mapped.Volume, Is.EqualTo(VolumeText(pair, paper.Volume)), $"{id} vol");
        Assert.That(mapped.VolumeExecuted, Is.EqualTo(VolumeText(pair, paper.VolumeExecuted)), $"{id} vol_exec");
        Assert.That(mapped.Cost, Is.EqualTo(OrderAmountText(pair, paper.Cost)), $"{id} cost");
        Assert.That(mapped.Fee, Is.EqualTo(OrderAmountText(pair, paper.Fee)), $"{id} fee");
        Assert.That(mapped.AveragePrice, Is.EqualTo(OrderAmountText(pair, averagePrice)), $"{id} price");
        Assert.That(mapped.OnMargin, Is.False, $"{id} margin");
        Assert.That(mapped.Description, Is.Not.Null, $"{id} descr");
        var description = mapped.Description!;
        Assert.That(description.Pair, Is.EqualTo(_pairs[pair].AlternateName), $"{id} descr.pair");
        Assert.That(description.Side, Is.EqualTo(paper.Side == "buy" ? OrderSide.Buy : OrderSide.Sell), $"{id} descr.type");
        Assert.That(description.OrderType, Is.EqualTo(OrderTypes[paper.OrderType]), $"{id} descr.ordertype");
        Assert.That(description.Price, Is.EqualTo(paper.Price is { } price ? PriceText(pair, price) : "0"), $"{id} descr.price");
        Assert.That(description.SecondaryPrice, Is.EqualTo(paper.Price2 is { } price2 ? PriceText(pair, price2) : "0"), $"{id} descr.price2");
        Assert.That(description.Leverage, Is.EqualTo("none"), $"{id} descr.leverage");
        Assert.That(description.OrderSummary, Does.StartWith($"{paper.Side} {VolumeText(pair, paper.Volume)} {_pairs[pair].AlternateName} @ "), $"{id} descr.order");
        Assert.That(mapped.TradeIds, Is.EqualTo(withTrades ? paper.TradeIds : Array.Empty<string>()), $"{id} trades");
    }

    /// <summary>One trade as the gateway mapped it against the paper trade: every field, as Kraken's text.</summary>
    private void AssertTradeIs(TradeInfo mapped, PaperTradeSnapshot paper)
    {
        var pair = _pairs[paper.Pair];
        var id = paper.TradeId;
        Assert.That(mapped.OrderTxid, Is.EqualTo(paper.OrderTxid), $"{id} ordertxid");
        Assert.That(mapped.Pair, Is.EqualTo(paper.Pair), $"{id} pair");
        Assert.That(mapped.Time, Is.EqualTo(FourDecimals(paper.Time)), $"{id} time");
        Assert.That(mapped.Side, Is.EqualTo(paper.Side == "buy" ? OrderSide.Buy : OrderSide.Sell), $"{id} type");
        Assert.That(mapped.OrderType, Is.EqualTo(OrderTypes[paper.OrderType]), $"{id} ordertype");
        Assert.That(mapped.Price, Is.EqualTo(Fixed(paper.Price, TradePriceDecimals)), $"{id} price");
        Assert.That(mapped.Cost, Is.EqualTo(Fixed(paper.Cost, pair.CostDecimals)), $"{id} cost");
        Assert.That(mapped.Fee, Is.EqualTo(Fixed(paper.Fee, pair.CostDecimals)), $"{id} fee");
        Assert.That(mapped.Volume, Is.EqualTo(Fixed(paper.Volume, pair.VolumeDecimals)), $"{id} vol");
        Assert.That(mapped.InitialMargin, Is.EqualTo(Fixed(0m, pair.CostDecimals)), $"{id} margin");
        Assert.That(mapped.Maker, Is.EqualTo(paper.Maker), $"{id} maker");
        Assert.That(mapped.TradeId, Is.Positive, $"{id} trade_id");
        Assert.That(mapped.MiscInfo, Is.Empty, $"{id} misc");
        Assert.That(mapped.PositionStatus, Is.EqualTo(PositionStatus.Unspecified), $"{id} posstatus: spot");
    }

    private void AssertLedgerEntryIs(LedgerEntry mapped, PaperLedgerSnapshot paper)
    {
        var id = paper.LedgerId;
        Assert.That(mapped.ReferenceId, Is.EqualTo(paper.RefId), $"{id} refid");
        Assert.That(mapped.Time, Is.EqualTo(FourDecimals(paper.Time)), $"{id} time");
        Assert.That(mapped.Type, Is.EqualTo(paper.Type), $"{id} type");
        Assert.That(mapped.Subtype, Is.Empty, $"{id} subtype");
        Assert.That(mapped.AssetClass, Is.EqualTo("currency"), $"{id} aclass");
        Assert.That(mapped.Asset, Is.EqualTo(paper.Asset), $"{id} asset");
        Assert.That(mapped.Amount, Is.EqualTo(AssetText(paper.Asset, paper.Amount)), $"{id} amount");
        Assert.That(mapped.Fee, Is.EqualTo(AssetText(paper.Asset, paper.Fee)), $"{id} fee");
        Assert.That(mapped.Balance, Is.EqualTo(AssetText(paper.Asset, paper.Balance)), $"{id} balance");
    }

    /// <summary>
    /// One side of the Level 3 book against the Level 2 book of the same moment: the same price levels in the same
    /// order, the orders of each level adding up to its volume (Depth shows three decimals), stamped in its second,
    /// in time priority.
    /// </summary>
    private static void AssertLevel3Side(IList<Level3BookOrder> orders, IList<DepthLevel> levels, string side)
    {
        var byLevel = orders.GroupBy(o => o.Price).ToList();
        Assert.That(byLevel.Select(g => g.Key), Is.EqualTo(levels.Select(l => l.Price)), $"{side}: the price levels");
        foreach (var (level3, level2) in byLevel.Zip(levels))
        {
            Assert.That(Fixed(level3.Sum(o => D(o.Quantity)), 3), Is.EqualTo(level2.Volume), $"{side} {level2.Price}: the orders add up to the level");
            Assert.That(level3.Select(o => o.Timestamp.Seconds), Is.All.EqualTo(level2.Timestamp.Seconds), $"{side} {level2.Price}: time");
            Assert.That(level3.Select(o => (o.Timestamp.Seconds * 1_000_000_000L) + o.Timestamp.Nanos), Is.Ordered.Ascending, $"{side} {level2.Price}: time priority");
        }
    }
}
