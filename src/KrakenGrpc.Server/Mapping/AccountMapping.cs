using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Validation;
using static KrakenGrpc.Server.Mapping.KrakenJson;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// AccountService requests to Kraken parameters (validated first: nothing invalid goes upstream) and Kraken results
/// to response messages. Decimal text is copied, never parsed; see <see cref="KrakenJson"/>. Trades and ledger
/// entries are mapped by <see cref="TradeMapping"/>.
/// </summary>
internal static class AccountMapping
{
    /// <summary>QueryTrades and QueryLedgers take at most 20 ids (protocol.md §8.4).</summary>
    public const int MaxQueryIds = 20;

    // The vocabularies only AccountService uses; the shared ones live in KrakenVocabulary.
    private static readonly Vocabulary<TradesHistoryType> TradesHistoryTypes = new(
        (TradesHistoryType.All, "all"),
        (TradesHistoryType.AnyPosition, "any position"),
        (TradesHistoryType.ClosedPosition, "closed position"),
        (TradesHistoryType.ClosingPosition, "closing position"),
        (TradesHistoryType.NoPosition, "no position"));

    private static readonly Vocabulary<PositionConsolidation> Consolidations = new((PositionConsolidation.Market, "market"));

    private static readonly Vocabulary<ExportReportKind> ReportKinds = new((ExportReportKind.Trades, "trades"), (ExportReportKind.Ledgers, "ledgers"));

    private static readonly Vocabulary<ExportFileFormat> FileFormats = new((ExportFileFormat.Csv, "CSV"), (ExportFileFormat.Tsv, "TSV"));

    private static readonly Vocabulary<ExportReportStatus> ReportStatuses = new(
        (ExportReportStatus.Queued, "Queued"),
        (ExportReportStatus.Processing, "Processing"),
        (ExportReportStatus.Processed, "Processed"));

    private static readonly Vocabulary<ExportRemovalType> RemovalTypes = new((ExportRemovalType.Cancel, "cancel"), (ExportRemovalType.Delete, "delete"));

    // ---- Requests -------------------------------------------------------------------------------------------

    public static KrakenParameters Parameters(GetAccountBalanceRequest request) => RebasedOnly(request.RebaseMultiplier, request.Otp);

    public static KrakenParameters Parameters(GetExtendedBalanceRequest request) => RebasedOnly(request.RebaseMultiplier, request.Otp);

    public static KrakenParameters Parameters(GetCreditLinesRequest request) => RebasedOnly(request.RebaseMultiplier, request.Otp);

    public static KrakenParameters Parameters(GetTradeBalanceRequest request)
    {
        new RequestValidation()
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetOpenPositionsRequest request)
    {
        new RequestValidation()
            .ListEntries("txid", request.Txid)
            .Defined("consolidation", request.Consolidation)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("txid", request.Txid)
            .Add("docalcs", request.HasDocalcs ? request.Docalcs : null)
            .Add("consolidation", Consolidations.ToKraken(request.Consolidation))
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetTradesHistoryRequest request)
    {
        new RequestValidation()
            .Defined("type", request.Type)
            .InRange("ofs", request.HasOfs ? request.Ofs : null, 0, int.MaxValue)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("type", TradesHistoryTypes.ToKraken(request.Type))
            .Add("trades", request.HasTrades ? request.Trades : null)
            .Add("start", request.Start)
            .Add("end", request.End)
            .Add("ofs", request.HasOfs ? request.Ofs : null)
            .Add("without_count", request.HasWithoutCount ? request.WithoutCount : null)
            .Add("consolidate_taker", request.HasConsolidateTaker ? request.ConsolidateTaker : null)
            .Add("ledgers", request.HasLedgers ? request.Ledgers : null)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetTradesRequest request)
    {
        new RequestValidation()
            .Check(request.Txid.Count > 0, "txid", "is required: at least one trade txid")
            .MaxCount("txid", request.Txid, MaxQueryIds)
            .ListEntries("txid", request.Txid)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("txid", request.Txid)
            .Add("trades", request.HasTrades ? request.Trades : null)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetLedgersInfoRequest request)
    {
        new RequestValidation()
            .ListEntries("asset", request.Asset)
            .InRange("ofs", request.HasOfs ? request.Ofs : null, 0, int.MaxValue)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("aclass", request.Aclass)
            .Add("type", request.Type)
            .Add("start", request.Start)
            .Add("end", request.End)
            .Add("ofs", request.HasOfs ? request.Ofs : null)
            .Add("without_count", request.HasWithoutCount ? request.WithoutCount : null)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetLedgersRequest request)
    {
        new RequestValidation()
            .Check(request.Id.Count > 0, "id", "is required: at least one ledger id")
            .MaxCount("id", request.Id, MaxQueryIds)
            .ListEntries("id", request.Id)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("id", request.Id)
            .Add("trades", request.HasTrades ? request.Trades : null)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetTradingVolumeRequest request)
    {
        new RequestValidation()
            .ListEntries("pair", request.Pair)
            .Defined("rebase_multiplier", request.RebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("pair", request.Pair)
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(request.RebaseMultiplier))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(RequestLedgersExportRequest request)
    {
        new RequestValidation()
            .Defined("report", request.Report, required: true)
            .Defined("format", request.Format)
            .Required("description", request.Description)
            .ListEntries("fields", request.Fields)
            .UnixTime("starttm", request.Starttm)
            .UnixTime("endtm", request.Endtm)
            .Check(request.Starttm is null || request.Endtm is null || request.Starttm.CompareTo(request.Endtm) < 0,
                "endtm", "must be later than starttm")
            .ThrowIfInvalid();
        // Kraken takes whole unix seconds; a fraction is dropped (the period then starts or ends at that second).
        return new KrakenParameters()
            .Add("report", ReportKinds.ToKraken(request.Report))
            .Add("format", FileFormats.ToKraken(request.Format))
            .Add("description", request.Description)
            .Add("fields", request.Fields)
            .Add("starttm", request.Starttm?.Seconds)
            .Add("endtm", request.Endtm?.Seconds)
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetLedgersExportRequest request)
    {
        new RequestValidation().Required("id", request.Id).ThrowIfInvalid();
        return new KrakenParameters().Add("id", request.Id).Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetLedgersExportStatusRequest request)
    {
        new RequestValidation()
            .Defined("report", request.Report, required: true)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("report", ReportKinds.ToKraken(request.Report))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(DeleteLedgersExportRequest request)
    {
        new RequestValidation()
            .Required("id", request.Id)
            .Defined("type", request.Type, required: true)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("id", request.Id)
            .Add("type", RemovalTypes.ToKraken(request.Type))
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(GetWebSocketsTokenRequest request) => new KrakenParameters().Add("otp", request.Otp);

    public static KrakenParameters Parameters(GetApiKeyInfoRequest request) => new KrakenParameters().Add("otp", request.Otp);

    public static KrakenParameters Parameters(CreateSubaccountRequest request)
    {
        new RequestValidation()
            .Required("username", request.Username)
            .Required("email", request.Email)
            .Check(request.Email.Length == 0 || IsEmailAddress(request.Email), "email", "must be an email address such as \"name@example.com\"")
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("username", request.Username)
            .Add("email", request.Email)
            .Add("otp", request.Otp);
    }

    public static KrakenParameters Parameters(SubmitSubaccountTransferRequest request)
    {
        new RequestValidation()
            .Required("asset", request.Asset)
            .Decimal("amount", request.Amount, required: true, positive: true)
            .Required("from", request.From)
            .Required("to", request.To)
            .Check(request.From.Length == 0 || !SameAccount(request.From, request.To), "to", "must be another account than from")
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("asset", request.Asset)
            .Add("asset_class", request.AssetClass)
            .Add("amount", request.Amount)
            .Add("from", request.From)
            .Add("to", request.To)
            .Add("otp", request.Otp);
    }

    private static KrakenParameters RebasedOnly(RebaseMultiplier rebaseMultiplier, string otp)
    {
        new RequestValidation()
            .Defined("rebase_multiplier", rebaseMultiplier)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("rebase_multiplier", KrakenVocabulary.RebaseMultiplier.ToKraken(rebaseMultiplier))
            .Add("otp", otp);
    }

    // Kraken joins a list with commas: an empty entry or one holding a comma would change what it reads.
    private static RequestValidation UnixTime(this RequestValidation validation, string field, Timestamp? time) =>
        validation.Check(time is null || (time.Seconds > 0 && time.Nanos is >= 0 and < 1_000_000_000),
            field, "must be a valid time after 1970-01-01T00:00:00Z");

    private static bool IsEmailAddress(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && !text.Any(char.IsWhiteSpace);
    }

    // IIBANs are shown grouped by spaces ("ABCD 1234 EFGH 5678"); the same account may be written with or without them.
    private static bool SameAccount(string from, string to) =>
        string.Equals(string.Concat(from.Where(c => !char.IsWhiteSpace(c))), string.Concat(to.Where(c => !char.IsWhiteSpace(c))),
            StringComparison.OrdinalIgnoreCase);

    // ---- Results --------------------------------------------------------------------------------------------

    public static GetAccountBalanceResponse ToAccountBalance(JsonElement result)
    {
        var response = new GetAccountBalanceResponse();
        foreach (var asset in Members(result))
        {
            response.Balances.Add(asset.Name, Text(asset.Value));
        }
        return response;
    }

    public static GetExtendedBalanceResponse ToExtendedBalance(JsonElement result)
    {
        var response = new GetExtendedBalanceResponse();
        foreach (var asset in Members(result))
        {
            // The docs example writes these as JSON numbers, the schema as strings: Text keeps either verbatim.
            response.Balances.Add(asset.Name, new ExtendedAssetBalance
            {
                Balance = Text(asset.Value, "balance"),
                Credit = Text(asset.Value, "credit"),
                CreditUsed = Text(asset.Value, "credit_used"),
                HoldTrade = Text(asset.Value, "hold_trade"),
            });
        }
        return response;
    }

    public static GetCreditLinesResponse ToCreditLines(JsonElement result)
    {
        // Kraken answers null when the account has no credit lines.
        var response = new GetCreditLinesResponse();
        foreach (var asset in Members(result, "asset_details"))
        {
            response.AssetDetails.Add(asset.Name, new CreditLineAssetDetails
            {
                Balance = Text(asset.Value, "balance"),
                CreditLimit = Text(asset.Value, "credit_limit"),
                CreditUsed = Text(asset.Value, "credit_used"),
                AvailableCredit = Text(asset.Value, "available_credit"),
            });
        }
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("limits_monitor", out var monitor) && monitor.ValueKind == JsonValueKind.Object)
        {
            response.LimitsMonitor = new CreditLinesMonitor
            {
                TotalCreditUsd = Text(monitor, "total_credit_usd"),
                TotalCreditUsedUsd = Text(monitor, "total_credit_used_usd"),
                TotalCollateralValueUsd = Text(monitor, "total_collateral_value_usd"),
                EquityUsd = Text(monitor, "equity_usd"),
                OngoingBalance = Text(monitor, "ongoing_balance"),
                DebtToEquity = Text(monitor, "debt_to_equity"),
            };
        }
        return response;
    }

    public static GetTradeBalanceResponse ToTradeBalance(JsonElement result) => new()
    {
        EquivalentBalance = Text(result, "eb"),
        TradeBalance = Text(result, "tb"),
        MarginUsed = Text(result, "m"),
        UnrealizedNetProfitLoss = Text(result, "n"),
        CostBasis = Text(result, "c"),
        FloatingValuation = Text(result, "v"),
        Equity = Text(result, "e"),
        FreeMargin = Text(result, "mf"),
        MarginLevel = Text(result, "ml"),
        UnexecutedValue = Text(result, "uv"),
    };

    public static GetOpenPositionsResponse ToOpenPositions(JsonElement result)
    {
        var response = new GetOpenPositionsResponse();
        if (result.ValueKind == JsonValueKind.Array)
        {
            // consolidation=market: one aggregate per pair.
            response.ConsolidatedPositions.AddRange(result.EnumerateArray().Select(ToConsolidatedPosition));
            return response;
        }
        foreach (var position in Members(result))
        {
            response.Positions.Add(position.Name, ToOpenPosition(position.Value));
        }
        return response;
    }

    private static OpenPosition ToOpenPosition(JsonElement position)
    {
        var mapped = new OpenPosition
        {
            OrderTxid = Text(position, "ordertxid"),
            PositionStatus = KrakenVocabulary.PositionStatus.FromKraken(Text(position, "posstatus")),
            Pair = Text(position, "pair"),
            OpenTime = UnixSeconds(position, "time"),
            Side = KrakenVocabulary.Side.FromKraken(Text(position, "type")),
            OrderType = KrakenVocabulary.OrderType.FromKraken(Text(position, "ordertype")),
            Cost = Text(position, "cost"),
            Fee = Text(position, "fee"),
            Volume = Text(position, "vol"),
            VolumeClosed = Text(position, "vol_closed"),
            InitialMargin = Text(position, "margin"),
            Value = Text(position, "value"),
            NetProfitLoss = Text(position, "net"),
            Terms = Text(position, "terms"),
            RolloverTime = UnixSeconds(position, "rollovertm"),
        };
        mapped.MiscInfo.AddRange(Words(position, "misc"));
        mapped.OrderFlags.AddRange(Words(position, "oflags").Select(KrakenVocabulary.OrderFlag.FromKraken));
        return mapped;
    }

    private static ConsolidatedPosition ToConsolidatedPosition(JsonElement position) => new()
    {
        Pair = Text(position, "pair"),
        PositionCount = Int(position, "positions"),
        Side = KrakenVocabulary.Side.FromKraken(Text(position, "type")),
        Leverage = Text(position, "leverage"),
        Cost = Text(position, "cost"),
        Fee = Text(position, "fee"),
        Volume = Text(position, "vol"),
        VolumeClosed = Text(position, "vol_closed"),
        InitialMargin = Text(position, "margin"),
        Value = Text(position, "value"),
        NetProfitLoss = Text(position, "net"),
    };

    public static GetTradesHistoryResponse ToTradesHistory(JsonElement result)
    {
        var response = new GetTradesHistoryResponse();
        foreach (var trade in Members(result, "trades"))
        {
            response.Trades.Add(trade.Name, TradeMapping.ToTradeInfo(trade.Value));
        }
        if (Count(result) is { } count)
        {
            response.TotalCount = count;
        }
        return response;
    }

    public static GetTradesResponse ToTrades(JsonElement result)
    {
        var response = new GetTradesResponse();
        foreach (var trade in Members(result))
        {
            response.Trades.Add(trade.Name, TradeMapping.ToTradeInfo(trade.Value));
        }
        return response;
    }

    public static GetLedgersInfoResponse ToLedgersInfo(JsonElement result)
    {
        var response = new GetLedgersInfoResponse();
        foreach (var entry in Members(result, "ledger"))
        {
            response.LedgerEntries.Add(entry.Name, TradeMapping.ToLedgerEntry(entry.Value));
        }
        if (Count(result) is { } count)
        {
            response.TotalCount = count;
        }
        return response;
    }

    public static GetLedgersResponse ToLedgers(JsonElement result)
    {
        var response = new GetLedgersResponse();
        foreach (var entry in Members(result))
        {
            response.LedgerEntries.Add(entry.Name, TradeMapping.ToLedgerEntry(entry.Value));
        }
        return response;
    }

    public static GetTradingVolumeResponse ToTradingVolume(JsonElement result)
    {
        var response = new GetTradingVolumeResponse
        {
            FeeVolumeCurrency = Text(result, "currency"),
            Volume30D = Text(result, "volume"),
        };
        foreach (var pair in Members(result, "fees"))
        {
            response.TakerFees.Add(pair.Name, ToTradingVolumeFee(pair.Value));
        }
        foreach (var pair in Members(result, "fees_maker"))
        {
            response.MakerFees.Add(pair.Name, ToTradingVolumeFee(pair.Value));
        }
        return response;
    }

    // The wire (docs example) writes minfee, maxfee, nextfee, nextvolume, tiervolume; the docs schema underscores them.
    private static TradingVolumeFee ToTradingVolumeFee(JsonElement fee) => new()
    {
        Fee = Text(fee, "fee"),
        MinimumFee = Text(Either(fee, "minfee", "min_fee")),
        MaximumFee = Text(Either(fee, "maxfee", "max_fee")),
        NextFee = Text(Either(fee, "nextfee", "next_fee")),
        NextVolume = Text(Either(fee, "nextvolume", "next_volume")),
        TierVolume = Text(Either(fee, "tiervolume", "tier_volume")),
    };

    public static RequestLedgersExportResponse ToRequestLedgersExport(JsonElement result) => new() { ReportId = Text(result, "id") };

    public static GetLedgersExportStatusResponse ToLedgersExportStatus(JsonElement result)
    {
        var response = new GetLedgersExportStatusResponse();
        if (result.ValueKind == JsonValueKind.Array)
        {
            response.Reports.AddRange(result.EnumerateArray().Select(ToExportReport));
        }
        return response;
    }

    private static ExportReportInfo ToExportReport(JsonElement report)
    {
        var mapped = new ExportReportInfo
        {
            Id = Text(report, "id"),
            Description = Text(report, "descr"),
            Format = FileFormats.FromKraken(Text(report, "format")),
            Report = ReportKinds.FromKraken(Text(report, "report")),
            Subtype = Text(report, "subtype"),
            Status = ReportStatuses.FromKraken(Text(report, "status")),
            Flags = Text(report, "flags"),
            CreatedTime = UnixSeconds(report, "createdtm"),
            ExpireTime = UnixSeconds(report, "expiretm"),
            ProcessingStartTime = UnixSeconds(report, "starttm"),
            CompletedTime = UnixSeconds(report, "completedtm"),
            DataStartTime = UnixSeconds(report, "datastarttm"),
            DataEndTime = UnixSeconds(report, "dataendtm"),
            AssetClass = Text(report, "aclass"),
            Asset = Text(report, "asset"),
        };
        mapped.Fields.AddRange(Words(report, "fields"));
        return mapped;
    }

    public static DeleteLedgersExportResponse ToDeleteLedgersExport(JsonElement result) => new()
    {
        Deleted = Flag(result, "delete"),
        Canceled = Flag(result, "cancel"),
    };

    public static GetWebSocketsTokenResponse ToWebSocketsToken(JsonElement result) => new()
    {
        Token = Text(result, "token"),
        ExpiresIn = result.TryGetProperty("expires", out var expires) && expires.ValueKind != JsonValueKind.Null
            ? new Duration { Seconds = Long(expires) }
            : null,
    };

    // Kraken's docs spell the keys in camelCase; Kraken.Net reads snake_case. Both are accepted.
    public static GetApiKeyInfoResponse ToApiKeyInfo(JsonElement result)
    {
        var response = new GetApiKeyInfoResponse
        {
            KeyName = Text(Either(result, "apiKeyName", "api_key_name")),
            ApiKey = Text(Either(result, "apiKey", "api_key")),
            Nonce = UnsignedLong(Property(result, "nonce")),
            NonceWindow = Long(Either(result, "nonceWindow", "nonce_window")),
            Iban = Text(Property(result, "iban")),
            ValidUntil = UnixSeconds(Either(result, "validUntil", "valid_until")),
            QueryFrom = UnixSeconds(Either(result, "queryFrom", "query_from")),
            QueryTo = UnixSeconds(Either(result, "queryTo", "query_to")),
            CreatedTime = UnixSeconds(Either(result, "createdTime", "created_time")),
            ModifiedTime = UnixSeconds(Either(result, "modifiedTime", "modified_time")),
            LastUsedTime = UnixSeconds(Either(result, "lastUsed", "last_used")),
        };
        response.Permissions.AddRange(Strings(Property(result, "permissions")));
        // Kraken.Net's sample shows an unrestricted key as [""]: an empty entry is no address.
        response.IpAllowlist.AddRange(Strings(Either(result, "ipAllowlist", "ip_allowlist")));
        return response;
    }

    public static CreateSubaccountResponse ToCreateSubaccount(JsonElement result) => new()
    {
        Created = string.Equals(Text(result), "true", StringComparison.OrdinalIgnoreCase),
    };

    public static SubmitSubaccountTransferResponse ToSubaccountTransfer(JsonElement result) => new()
    {
        TransferId = Text(result, "transfer_id"),
        Status = Text(result, "status"),
    };

    // ---- Reading helpers ------------------------------------------------------------------------------------

    // The members of an object (a map keyed by asset, txid or ledger id); none when Kraken sends null or nothing.
    private static List<JsonProperty> Members(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().ToList() : [];

    private static List<JsonProperty> Members(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? Members(value) : [];

    // "count" of the paged history endpoints: null when Kraken omits it (without_count).
    private static long? Count(JsonElement result) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty("count", out var count) && count.ValueKind != JsonValueKind.Null
            ? Long(count)
            : null;

    // The value under the first of two spellings that is present and not null; Undefined (read as empty) otherwise.
    private static JsonElement Either(JsonElement parent, string name, string alternative)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }
        return parent.TryGetProperty(alternative, out value) ? value : default;
    }

    private static List<string> Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(Text).Where(text => text.Length > 0).ToList() : [];

    // The API key's nonce: a 64-bit unsigned integer Kraken writes as text.
    private static ulong UnsignedLong(JsonElement value)
    {
        var text = Text(value);
        if (text.Length == 0)
        {
            return 0;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Unreadable($"'{text}' is not an unsigned integer");
    }
}
