using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>Injected faults hit the next requests to their exact path, then the emulator answers normally again.</summary>
[TestFixture]
public sealed class FaultInjectionTests : EmulatorTestBase
{
    private const string TickerPath = "/0/public/Ticker";
    private const string TickerUri = "0/public/Ticker?pair=XBTUSD";

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(429)]
    public async Task StatusFault_AnswersThatStatusOnce_ThenNormally(int status)
    {
        Kraken.Faults.Inject(TickerPath, Fault.Status(status));

        using (var faulted = await Http.GetAsync(Relative(TickerUri)))
        {
            Assert.That((int)faulted.StatusCode, Is.EqualTo(status));
            Assert.That(await faulted.Content.ReadAsStringAsync(), Does.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await GetResultAsync(TickerUri);
    }

    [Test]
    public async Task StatusFault_WithBody_AnswersThatBody()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Status(502, "bad gateway"));
        using var response = await Http.GetAsync(Relative(TickerUri));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("bad gateway"));
    }

    [TestCase("EService:Unavailable")]
    [TestCase("EGeneral:Too many requests")]
    [TestCase("EService:Busy")]
    public async Task KrakenErrorFault_AnswersThatErrorInTheEnvelopeWithHttp200(string error)
    {
        Kraken.Faults.Inject(TickerPath, Fault.KrakenError(error));
        var body = await Http.GetStringAsync(Relative(TickerUri));
        Assert.That(body, Is.EqualTo($"{{\"error\":[\"{error}\"]}}"));
    }

    [Test]
    public async Task MalformedFault_AnswersHttp200WithTruncatedJson()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Malformed());
        using var response = await Http.GetAsync(Relative(TickerUri));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Encoding.UTF8.GetString(body), Does.StartWith("{\"error\":[],\"result\":{"));
            Assert.That(() => JsonDocument.Parse(body).Dispose(), Throws.InstanceOf<JsonException>());
        });
    }

    [Test]
    public async Task DelayFault_WaitsThenAnswersNormally()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Delay(TimeSpan.FromMilliseconds(300)));
        var watch = Stopwatch.StartNew();
        var result = await GetResultAsync(TickerUri);
        watch.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280)));
            Assert.That(result.TryGetProperty("XXBTZUSD", out _), Is.True);
        });
    }

    [Test]
    public async Task DelayFault_LongerThanTheClientWaits_TimesTheClientOut()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Delay(TimeSpan.FromSeconds(30)));
        using var impatient = new HttpClient { BaseAddress = Kraken.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        Assert.That(async () => await impatient.GetAsync(Relative(TickerUri)), Throws.InstanceOf<TaskCanceledException>());
        await GetResultAsync(TickerUri);
    }

    [Test]
    public async Task Fault_WithTimes_AppliesToThatManyRequests()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Status(503) with { Times = 2 });
        Assert.That(Kraken.Faults.Remaining(TickerPath), Is.EqualTo(2));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await Http.GetAsync(Relative(TickerUri));
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK }));
    }

    [Test]
    public async Task Faults_OnOnePath_ApplyInTheOrderInjected()
    {
        Kraken.Faults.Inject(TickerPath, Fault.KrakenError("EService:Unavailable"));
        Kraken.Faults.Inject(TickerPath, Fault.Status(502));

        var first = await GetErrorAsync(TickerUri);
        using var second = await Http.GetAsync(Relative(TickerUri));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("EService:Unavailable"));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        });
    }

    [Test]
    public async Task Fault_OnlyAffectsItsExactPath()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Status(500));
        await GetResultAsync("0/public/Depth?pair=XBTUSD&count=1");
        Assert.That(Kraken.Faults.Remaining(TickerPath), Is.EqualTo(1));
    }

    [Test]
    public async Task Clear_DropsPendingFaults()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Status(500) with { Times = 5 });
        Kraken.Faults.Clear();
        await GetResultAsync(TickerUri);
    }

    [Test]
    public void Fault_TimesBelowOne_IsRefused()
    {
        Assert.That(() => Fault.Malformed() with { Times = 0 }, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task HttpControl_PostFault_InjectsItForOutOfProcessUsers()
    {
        using var content = new StringContent("""{"path":"/0/public/Ticker","kind":"error","error":"EGeneral:Too many requests","times":2}""", Encoding.UTF8, "application/json");
        using (var injected = await Http.PostAsync(Relative("_emulator/faults"), content))
        {
            Assert.That(injected.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var first = await GetErrorAsync(TickerUri);
        var second = await GetErrorAsync(TickerUri);
        await GetResultAsync(TickerUri);
        Assert.That(new[] { first, second }, Has.All.EqualTo("EGeneral:Too many requests"));
    }

    [TestCase("""{"path":"/0/public/Ticker","kind":"status","status":503}""", HttpStatusCode.ServiceUnavailable)]
    [TestCase("""{"path":"/0/public/Ticker","kind":"malformed"}""", HttpStatusCode.OK)]
    [TestCase("""{"path":"/0/public/Ticker","kind":"delay","delayMs":50}""", HttpStatusCode.OK)]
    public async Task HttpControl_EachFaultKind_IsAccepted(string json, HttpStatusCode expected)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using (var injected = await Http.PostAsync(Relative("_emulator/faults"), content))
        {
            Assert.That(injected.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var response = await Http.GetAsync(Relative(TickerUri));
        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task HttpControl_DeleteFaults_ClearsThem()
    {
        Kraken.Faults.Inject(TickerPath, Fault.Status(500));
        using (await Http.DeleteAsync(Relative("_emulator/faults")))
        {
        }

        Assert.That(Kraken.Faults.Remaining(TickerPath), Is.Zero);
    }

    [TestCase("""{"path":"/0/public/Ticker","kind":"explode"}""")]
    [TestCase("""{"kind":"malformed"}""")]
    [TestCase("not json")]
    public async Task HttpControl_BadFaultRequest_AnswersHttp400(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(Relative("_emulator/faults"), content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
