using System.Globalization;
using System.IO.Compression;
using System.Text;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.Trading;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken's report exports: AddExport queues a trades or ledgers report, which counts as processed once the
/// emulator's processing time has passed on its clock; ExportStatus lists them; RetrieveExport answers a real ZIP
/// archive (application/octet-stream) holding the report as CSV or TSV; RemoveExport cancels a queued report or
/// deletes a processed one.
/// </summary>
internal sealed class ExportEndpoints(PrivateEndpoints gate, TimeSpan processingTime)
{
    private const long NanosPerSecond = 1_000_000_000L;

    /// <summary>How long Kraken keeps a report available (the example's expiretm - createdtm).</summary>
    private const long RetentionSeconds = 209_600;

    private static readonly string[] TradeFields = ["ordertxid", "time", "ordertype", "price", "cost", "fee", "vol", "margin", "misc", "ledgers"];

    /// <summary>The columns of Kraken's trades.csv, in order; txid, pair and type are always there.</summary>
    private static readonly string[] TradeColumns = ["txid", "ordertxid", "pair", "time", "type", "ordertype", "price", "cost", "fee", "vol", "margin", "misc", "ledgers"];

    private static readonly string[] LedgerFields = ["refid", "time", "type", "subtype", "aclass", "asset", "wallet", "amount", "fee", "balance"];

    private MatchingEngine Engine => gate.Engine;

    public void Register(EndpointTable table)
    {
        gate.Map(table, "AddExport", 1, AddExport);
        gate.Map(table, "ExportStatus", 1, ExportStatus);
        gate.Map(table, "RetrieveExport", 1, RetrieveExport);
        gate.Map(table, "RemoveExport", 1, RemoveExport);
    }

    private EndpointResponse AddExport(PrivateCall call)
    {
        var parameters = call.Parameters;
        var report = parameters.NonEmpty("report");
        if (report is not ("trades" or "ledgers"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("report"));
        }

        var format = parameters.NonEmpty("format") ?? "CSV";
        if (format is not ("CSV" or "TSV"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("format"));
        }

        if (parameters.NonEmpty("description") is not { } description)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("description"));
        }

        var fields = parameters.NonEmpty("fields") ?? "all";
        var allowed = report == "trades" ? TradeFields : LedgerFields;
        if (fields != "all" && RequestParameters.SplitList(fields).Any(f => !allowed.Contains(f)))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("fields"));
        }

        var now = Engine.NowSeconds;
        var today = DateTimeOffset.FromUnixTimeSeconds(now);
        var monthStart = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        if (!parameters.TryGetCursor("starttm", out var start) || !parameters.TryGetCursor("endtm", out var end))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument(parameters.TryGetCursor("starttm", out _) ? "endtm" : "starttm"));
        }

        var account = call.Account;
        var export = new ExportReport
        {
            Id = account.NewReportId(),
            Description = description,
            Format = format,
            Report = report,
            Fields = fields,
            CreatedTime = now,
            DataStartTime = start ?? monthStart,
            DataEndTime = end ?? now,
            ReadyAt = Engine.Clock.GetUtcNow() + processingTime,
        };
        account.Exports.Add(export);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", export.Id);
            w.WriteEndObject();
        });
    }

    private EndpointResponse ExportStatus(PrivateCall call)
    {
        var report = call.Parameters.NonEmpty("report");
        if (report is not ("trades" or "ledgers"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("report"));
        }

        var reports = call.Account.Exports.Where(e => e.Report == report && !e.Cancelled).Reverse().ToArray();
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var export in reports)
            {
                var processed = IsProcessed(export);
                var completed = export.CreatedTime + (long)Math.Ceiling(processingTime.TotalSeconds);
                w.WriteStartObject();
                w.WriteString("id", export.Id);
                w.WriteString("descr", export.Description);
                w.WriteString("format", export.Format);
                w.WriteString("report", export.Report);
                w.WriteString("subtype", "all");
                w.WriteString("status", processed ? "Processed" : "Queued");
                w.WriteString("flags", "0");
                w.WriteString("fields", export.Fields);
                w.WriteString("createdtm", Seconds(export.CreatedTime));
                w.WriteString("expiretm", Seconds(export.CreatedTime + RetentionSeconds));
                w.WriteString("starttm", processed ? Seconds(completed) : "0");
                w.WriteString("completedtm", processed ? Seconds(completed) : "0");
                w.WriteString("datastarttm", Seconds(export.DataStartTime));
                w.WriteString("dataendtm", Seconds(export.DataEndTime));
                w.WriteString("aclass", "forex");
                w.WriteString("asset", "all");
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The report as a ZIP archive; an unknown or not yet processed report is an invalid id.</summary>
    private EndpointResponse RetrieveExport(PrivateCall call)
    {
        var id = call.Parameters.NonEmpty("id");
        var export = call.Account.Exports.FirstOrDefault(e => e.Id == id && !e.Cancelled);
        if (export is null || !IsProcessed(export))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("id"));
        }

        var text = export.Report == "trades" ? TradesTable(call.Account, export) : LedgersTable(call.Account, export);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry($"{export.Report}.{export.Format.ToLowerInvariant()}", CompressionLevel.Optimal);
            using var stream = entry.Open();
            var bytes = Encoding.UTF8.GetBytes(text);
            stream.Write(bytes, 0, bytes.Length);
        }

        return EndpointResponse.Binary(buffer.ToArray(), "application/octet-stream");
    }

    private EndpointResponse RemoveExport(PrivateCall call)
    {
        var parameters = call.Parameters;
        var type = parameters.NonEmpty("type");
        if (type is not ("cancel" or "delete"))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("type"));
        }

        var id = parameters.NonEmpty("id");
        var export = call.Account.Exports.FirstOrDefault(e => e.Id == id && !e.Cancelled);
        if (export is null)
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("id"));
        }

        // delete is for processed reports, cancel for those still queued (api-reference RemoveExport).
        if ((type == "delete") != IsProcessed(export))
        {
            return PrivateEndpoints.Error(KrakenErrors.InvalidArgument("type"));
        }

        call.Account.Exports.Remove(export);
        return PrivateEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean(type, true);
            w.WriteEndObject();
        });
    }

    private bool IsProcessed(ExportReport export) => Engine.Clock.GetUtcNow() >= export.ReadyAt;

    private static string Seconds(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Kraken's trades.csv: txid, pair and type always, the other columns as selected.</summary>
    private static string TradesTable(PaperAccount account, ExportReport export)
    {
        var selected = Selected(export.Fields, TradeFields);
        var columns = TradeColumns.Where(c => c is "txid" or "pair" or "type" || selected.Contains(c)).ToList();

        var rows = account.Trades
            .Where(t => InData(t.TimeNs, export))
            .Select(t => columns.Select(c => c switch
            {
                "txid" => t.Id,
                "ordertxid" => t.OrderTxid,
                "pair" => t.Pair.Key,
                "time" => CsvTime(t.TimeNs),
                "type" => t.Side == OrderSide.Buy ? "buy" : "sell",
                "ordertype" => t.OrderType,
                "price" => KrakenNumber.Fixed(t.Price, t.Pair.PriceDecimals),
                "cost" => KrakenNumber.Fixed(t.Cost, t.Pair.CostDecimals),
                "fee" => KrakenNumber.Fixed(t.Fee, t.Pair.CostDecimals),
                "vol" => KrakenNumber.Fixed(t.Volume, t.Pair.LotDecimals),
                "margin" => KrakenNumber.Fixed(0m, t.Pair.CostDecimals),
                "misc" => string.Empty,
                _ => string.Join(',', t.LedgerIds),
            }).ToArray());
        return Table(export.Format, columns, rows);
    }

    /// <summary>Kraken's ledgers.csv: txid always, the other columns as selected.</summary>
    private static string LedgersTable(PaperAccount account, ExportReport export)
    {
        var columns = new List<string> { "txid" };
        columns.AddRange(Selected(export.Fields, LedgerFields));
        var rows = account.Ledger
            .Where(e => InData(e.TimeNs, export))
            .Select(e => columns.Select(c => c switch
            {
                "txid" => e.Id,
                "refid" => e.RefId,
                "time" => CsvTime(e.TimeNs),
                "type" => e.Type,
                "subtype" => e.Subtype,
                "aclass" => e.Asset.Aclass,
                "asset" => e.Asset.Key,
                "wallet" => "spot / main",
                "amount" => KrakenNumber.Fixed(e.Amount, e.Asset.Decimals),
                "fee" => KrakenNumber.Fixed(e.Fee, e.Asset.Decimals),
                _ => KrakenNumber.Fixed(e.Balance, e.Asset.Decimals),
            }).ToArray());
        return Table(export.Format, columns, rows);
    }

    private static string[] Selected(string fields, string[] all) =>
        fields == "all" ? all : all.Where(f => RequestParameters.SplitList(fields).Contains(f)).ToArray();

    private static bool InData(long timeNs, ExportReport export)
    {
        var seconds = timeNs / NanosPerSecond;
        return seconds >= export.DataStartTime && seconds <= export.DataEndTime;
    }

    private static string CsvTime(long timeNs) =>
        DateTime.UnixEpoch.AddTicks(timeNs / 100).ToString("yyyy-MM-dd HH:mm:ss.ffff", CultureInfo.InvariantCulture);

    /// <summary>CSV with every value quoted (as Kraken's exports), or TSV without quotes.</summary>
    private static string Table(string format, List<string> columns, IEnumerable<string[]> rows)
    {
        var csv = format == "CSV";
        string Line(IEnumerable<string> values) => csv
            ? string.Join(',', values.Select(v => "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))
            : string.Join('\t', values);

        var text = new StringBuilder();
        text.Append(Line(columns)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(Line(row)).Append('\n');
        }

        return text.ToString();
    }
}
