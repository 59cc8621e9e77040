using System.IO.Compression;
using System.Net;
using System.Text;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Exports: queued, processed once the emulator's processing time (5 s in these tests) has passed on its clock, then
/// retrievable as a real ZIP archive of CSV or TSV, and removable.
/// </summary>
[TestFixture]
public sealed class ExportTests : PrivateEmulatorTestBase
{
    [Test]
    public async Task TradesExport_IsQueued_ThenProcessed_ThenAZipOfCsvRows()
    {
        await AddOrderAsync(("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.001"));
        await AddOrderAsync(("pair", "ETHUSD"), ("type", "sell"), ("ordertype", "market"), ("volume", "0.01"));
        var id = (await Client.ResultAsync("AddExport", ("report", "trades"), ("description", "my trades"))).GetProperty("id").GetString()!;

        var queued = (await Client.ResultAsync("ExportStatus", ("report", "trades")))[0];
        var early = await Client.ErrorAsync("RetrieveExport", ("id", id));
        Clock.Advance(TimeSpan.FromSeconds(6));
        var processed = (await Client.ResultAsync("ExportStatus", ("report", "trades")))[0];

        Assert.Multiple(() =>
        {
            Assert.That(id, Does.Match("^[A-Z]{4}$"));
            Assert.That(queued.GetProperty("status").GetString(), Is.EqualTo("Queued"));
            Assert.That(early, Is.EqualTo("EGeneral:Invalid arguments:id"));
            Assert.That(processed.GetProperty("status").GetString(), Is.EqualTo("Processed"));
            Assert.That(processed.GetProperty("descr").GetString(), Is.EqualTo("my trades"));
        });

        using var response = await Client.PostRawAsync("RetrieveExport", ("id", id));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        await using var zipStream = await response.Content.ReadAsStreamAsync();
        using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
        var entry = zip.Entries.Single();
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var trades = Account.Trades;
        Assert.Multiple(() =>
        {
            Assert.That(entry.FullName, Is.EqualTo("trades.csv"));
            Assert.That(lines[0], Is.EqualTo("\"txid\",\"ordertxid\",\"pair\",\"time\",\"type\",\"ordertype\",\"price\",\"cost\",\"fee\",\"vol\",\"margin\",\"misc\",\"ledgers\""));
            Assert.That(lines, Has.Length.EqualTo(3));
            Assert.That(lines[1], Does.StartWith($"\"{trades[0].TradeId}\",\"{trades[0].OrderTxid}\",\"XXBTZUSD\","));
            Assert.That(lines[2], Does.Contain("\"XETHZUSD\"").And.Contain("\"sell\""));
        });
    }

    [Test]
    public async Task LedgersExport_AsTsv_WithChosenFields()
    {
        var id = (await Client.ResultAsync("AddExport", ("report", "ledgers"), ("format", "TSV"), ("description", "ledger"), ("fields", "asset,amount"))).GetProperty("id").GetString()!;
        Clock.Advance(TimeSpan.FromSeconds(6));

        using var response = await Client.PostRawAsync("RetrieveExport", ("id", id));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("ledgers.tsv")!.Open());
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("txid\tasset\tamount"));
            Assert.That(lines.Skip(1).Select(l => l.Split('\t')[1]), Is.EquivalentTo(new[] { "ZUSD", "XXBT", "XETH", "ZEUR", "SOL" }));
            Assert.That(lines[1].Split('\t')[2], Is.EqualTo("100000.0000"));
        });
    }

    [Test]
    public async Task RemoveExport_CancelsQueued_DeletesProcessed()
    {
        var queued = (await Client.ResultAsync("AddExport", ("report", "trades"), ("description", "a"))).GetProperty("id").GetString()!;
        var wrongType = await Client.ErrorAsync("RemoveExport", ("id", queued), ("type", "delete"));
        var cancelled = await Client.ResultAsync("RemoveExport", ("id", queued), ("type", "cancel"));

        var processed = (await Client.ResultAsync("AddExport", ("report", "trades"), ("description", "b"))).GetProperty("id").GetString()!;
        Clock.Advance(TimeSpan.FromSeconds(6));
        var deleted = await Client.ResultAsync("RemoveExport", ("id", processed), ("type", "delete"));
        var status = await Client.ResultAsync("ExportStatus", ("report", "trades"));

        Assert.Multiple(() =>
        {
            Assert.That(wrongType, Is.EqualTo("EGeneral:Invalid arguments:type"));
            Assert.That(cancelled.GetProperty("cancel").GetBoolean(), Is.True);
            Assert.That(deleted.GetProperty("delete").GetBoolean(), Is.True);
            Assert.That(status.GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task AddExport_RefusesBadArguments()
    {
        Assert.That(await Client.ErrorAsync("AddExport", ("report", "orders"), ("description", "x")), Is.EqualTo("EGeneral:Invalid arguments:report"));
        Assert.That(await Client.ErrorAsync("AddExport", ("report", "trades")), Is.EqualTo("EGeneral:Invalid arguments:description"));
        Assert.That(await Client.ErrorAsync("AddExport", ("report", "trades"), ("description", "x"), ("fields", "nonsense")), Is.EqualTo("EGeneral:Invalid arguments:fields"));
        using var response = await Client.PostRawAsync("RetrieveExport", ("id", "NOPE"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }
}
