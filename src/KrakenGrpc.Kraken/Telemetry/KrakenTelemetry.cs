using System.Diagnostics;
using System.Diagnostics.Metrics;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Kraken.Lanes;

namespace KrakenGrpc.Kraken.Telemetry;

/// <summary>
/// The REST core's metrics and spans: how each upstream call went, how full each account's rate budget is, how long
/// calls wait for it and how often it refuses them. Plain <c>System.Diagnostics</c>, so the core depends on no
/// telemetry SDK; the host decides whether and where they are exported.
/// <para>
/// Labels name the endpoint, the outcome and the account by its configured NAME. Nothing secret is ever a label or a
/// span attribute: no API key (lanes are keyed by it, so they are listed through the account names), no signature,
/// no token, no parameter.
/// </para>
/// </summary>
public sealed class KrakenTelemetry
{
    /// <summary>The name of the gateway's meter and activity source, which an exporter subscribes to.</summary>
    public const string Name = "KrakenGrpc";

    /// <summary>The outcome of a call that succeeded; a failure's outcome is its error reason.</summary>
    public const string Ok = "ok";

    /// <summary>Spans around each upstream call; static because an activity source is process-wide anyway.</summary>
    public static readonly ActivitySource Source = new(Name);

    // Upstream calls last from milliseconds to a rate-budget wait of tens of seconds.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly TimeProvider _time;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _budgetWait;
    private readonly Counter<long> _budgetRefusals;

    public KrakenTelemetry(IMeterFactory meters, KrakenAccounts accounts, AccountLanes lanes, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(Name);
        _callDuration = meter.CreateHistogram("kraken.upstream.request.duration", "s",
            "Duration of calls to Kraken (retries and rate-budget waits included), by endpoint and outcome: ok, or the error reason.",
            advice: SecondsBuckets);
        _attempts = meter.CreateCounter<long>("kraken.upstream.attempts", "{attempt}",
            "HTTP exchanges with Kraken, retries included, by endpoint and result: the HTTP status, or timeout, unreachable, cancelled, error.");
        _budgetWait = meter.CreateHistogram("kraken.rate_budget.wait.duration", "s",
            "How long signed calls waited for their account's rate budget (or for Kraken's throttle to pass) before being sent.",
            advice: SecondsBuckets);
        _budgetRefusals = meter.CreateCounter<long>("kraken.rate_budget.refusals", "{call}",
            "Signed calls refused unsent by the gateway for their account's budget, by reason: RATE_BUDGET_EXHAUSTED, TEMPORARY_LOCKOUT, THROTTLED.");

        // Through the configured names, not the lanes' keys: a lane is keyed by its API key.
        meter.CreateObservableGauge("kraken.rate_budget.level",
            () => accounts.Names.Select(name => new Measurement<double>(lanes.For(accounts.Resolve(name)).RestCounter.Value, new KeyValuePair<string, object?>("account", name))),
            "{point}", "The gateway's model of Kraken's REST call counter of each account (Kraken refuses calls above the maximum).");
        meter.CreateObservableGauge("kraken.rate_budget.maximum",
            () => accounts.Names.Select(name => new Measurement<double>(lanes.For(accounts.Resolve(name)).RestCounter.Maximum, new KeyValuePair<string, object?>("account", name))),
            "{point}", "The maximum of each account's REST call counter, from its tier.");
    }

    /// <summary>
    /// Runs one call to Kraken inside a span and records its duration and outcome: <see cref="Ok"/>, the reason of the
    /// <see cref="KrakenException"/> it failed with (Kraken's own, or the gateway's such as UPSTREAM_SERVER_ERROR),
    /// CANCELLED, or INTERNAL.
    /// </summary>
    public async Task<T> MeasureCallAsync<T>(KrakenEndpoint endpoint, KrakenAccount? account, Func<Task<T>> call)
    {
        using var span = Source.StartActivity($"Kraken {endpoint.Name}");
        span?.SetTag("kraken.endpoint", endpoint.Name);
        span?.SetTag("kraken.account", account?.Name);
        var started = _time.GetTimestamp();
        var outcome = Ok;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            outcome = OutcomeOf(failure);
            throw;
        }
        finally
        {
            var tags = new TagList { { "endpoint", endpoint.Name }, { "outcome", outcome } };
            if (account is not null)
            {
                tags.Add("account", account.Name);
            }
            _callDuration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
            span?.SetTag("kraken.outcome", outcome);
            if (outcome != Ok)
            {
                span?.SetTag("error.type", outcome);
                span?.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    /// <summary>Counts one HTTP exchange with Kraken; <paramref name="result"/> is the HTTP status or what prevented one.</summary>
    public void RecordAttempt(KrakenEndpoint endpoint, string result) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint.Name), new KeyValuePair<string, object?>("result", result));

    /// <summary>
    /// Waits for <paramref name="account"/>'s rate budget through <paramref name="wait"/>, recording how long it took,
    /// or counting the refusal by its reason.
    /// </summary>
    public async ValueTask MeasureBudgetWaitAsync(KrakenAccount account, Func<ValueTask> wait)
    {
        var started = _time.GetTimestamp();
        try
        {
            await wait().ConfigureAwait(false);
        }
        catch (KrakenException refused)
        {
            _budgetRefusals.Add(1, new KeyValuePair<string, object?>("account", account.Name), new KeyValuePair<string, object?>("reason", refused.ErrorClass.Reason));
            throw;
        }
        _budgetWait.Record(_time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("account", account.Name));
    }

    private static string OutcomeOf(Exception failure) => failure switch
    {
        KrakenException kraken => kraken.ErrorClass.Reason,
        OperationCanceledException => "CANCELLED",
        _ => "INTERNAL",
    };
}
