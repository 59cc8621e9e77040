using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Coordination;
using KrakenGrpc.Kraken.Lanes;
using KrakenGrpc.Kraken.Telemetry;
using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Tests.Observability;

/// <summary>The REST core's instruments, read with <see cref="MetricCollector{T}"/>: which labels each measurement carries.</summary>
public class KrakenTelemetryTests
{
    private const string ApiKey = "telemetry-test-key";

    private ServiceProvider _services = null!;
    private KrakenAccounts _accounts = null!;
    private AccountLanes _lanes = null!;
    private KrakenTelemetry _telemetry = null!;

    // Owned by the service provider, which disposes it.
    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    [SetUp]
    public void CreateTelemetry()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new KrakenOptions { ApiKey = ApiKey, ApiSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)) };
        options.Accounts["desk"] = new KrakenAccountOptions { ApiKey = "telemetry-desk-key", ApiSecret = options.ApiSecret, Tier = KrakenTier.Pro };
        _accounts = new KrakenAccounts(Options.Create(options));
        _lanes = new AccountLanes(new InProcessLaneCoordination(TimeProvider.System), TimeProvider.System);
        _telemetry = new KrakenTelemetry(Meters, _accounts, _lanes, TimeProvider.System);
    }

    [TearDown]
    public void Dispose()
    {
        _lanes.Dispose();
        _services.Dispose();
    }

    [Test]
    public async Task AFailedCall_IsRecordedWithItsReasonAsOutcome_AndTheAccountByName()
    {
        using var durations = new MetricCollector<double>(Meters, KrakenTelemetry.Name, "kraken.upstream.request.duration");
        var account = _accounts.Resolve(null);

        Assert.ThrowsAsync<KrakenException>(() => _telemetry.MeasureCallAsync<int>(KrakenEndpoints.Balance, account,
            () => throw new KrakenException(KrakenErrorTable.UpstreamServerError, "Balance", "Kraken answered Balance with HTTP 503.")));
        await _telemetry.MeasureCallAsync(KrakenEndpoints.Ticker, account: null, () => Task.FromResult(1));

        var measurements = durations.GetMeasurementSnapshot();
        Assert.That(measurements, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(measurements[0].Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["endpoint"] = "Balance", ["outcome"] = "UPSTREAM_SERVER_ERROR", ["account"] = "default" }));
            Assert.That(measurements[1].Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["endpoint"] = "Ticker", ["outcome"] = KrakenTelemetry.Ok }));
        });
    }

    [Test]
    public void ACancelledCall_HasTheOutcomeCancelled()
    {
        using var durations = new MetricCollector<double>(Meters, KrakenTelemetry.Name, "kraken.upstream.request.duration");

        Assert.CatchAsync<OperationCanceledException>(() => _telemetry.MeasureCallAsync<int>(KrakenEndpoints.Ticker, account: null, () => throw new OperationCanceledException()));

        Assert.That(durations.LastMeasurement?.Tags["outcome"], Is.EqualTo("CANCELLED"));
    }

    [Test]
    public void ABudgetRefusal_IsCountedByAccountAndReason_AndIsNoWait()
    {
        using var refusals = new MetricCollector<long>(Meters, KrakenTelemetry.Name, "kraken.rate_budget.refusals");
        using var waits = new MetricCollector<double>(Meters, KrakenTelemetry.Name, "kraken.rate_budget.wait.duration");
        var refusal = new KrakenException(KrakenErrorTable.TemporaryLockout, "Balance", "locked out");

        Assert.ThrowsAsync<KrakenException>(async () => await _telemetry.MeasureBudgetWaitAsync(_accounts.Resolve("desk"), () => ValueTask.FromException(refusal)));

        Assert.Multiple(() =>
        {
            Assert.That(refusals.LastMeasurement?.Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["account"] = "desk", ["reason"] = "TEMPORARY_LOCKOUT" }));
            Assert.That(waits.GetMeasurementSnapshot(), Is.Empty);
        });
    }

    [Test]
    public async Task TheBudgetGauges_ListEveryConfiguredAccountByName_NeverByKey()
    {
        using var levels = new MetricCollector<double>(Meters, KrakenTelemetry.Name, "kraken.rate_budget.level");
        using var maximums = new MetricCollector<double>(Meters, KrakenTelemetry.Name, "kraken.rate_budget.maximum");
        await _lanes.For(_accounts.Resolve("desk")).RestCounter.AddAsync(4);

        levels.RecordObservableInstruments();
        maximums.RecordObservableInstruments();

        var level = levels.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["account"]!, m => m.Value);
        var maximum = maximums.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["account"]!, m => m.Value);
        Assert.Multiple(() =>
        {
            Assert.That(level.Keys, Is.EquivalentTo(new[] { "default", "desk" }));
            Assert.That(level["desk"], Is.InRange(3.5, 4));
            Assert.That(maximum["desk"], Is.EqualTo(KrakenTierLimits.For(KrakenTier.Pro).RestCounterMax));
            Assert.That(levels.GetMeasurementSnapshot().SelectMany(m => m.Tags.Values), Has.None.EqualTo(ApiKey));
        });
    }
}
