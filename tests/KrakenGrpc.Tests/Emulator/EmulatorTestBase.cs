using System.Net;
using System.Text.Json;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>
/// Starts one emulator per test class on a free loopback port, with the price ticker off so only
/// <see cref="EmulatedMarket.Step()"/> moves the market, and resets faults and the request log before each test.
/// </summary>
public abstract class EmulatorTestBase
{
    protected KrakenEmulator Kraken { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartEmulator()
    {
        Kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        Http = new HttpClient { BaseAddress = Kraken.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task StopEmulator()
    {
        Http?.Dispose();
        if (Kraken is not null)
        {
            await Kraken.DisposeAsync();
        }
    }

    [SetUp]
    public void ResetEmulator()
    {
        Kraken.Faults.Clear();
        Kraken.Requests.Clear();
    }

    protected static Uri Relative(string uri) => new(uri, UriKind.Relative);

    /// <summary>GETs a path and parses the answer (which must be JSON).</summary>
    protected async Task<(HttpStatusCode Status, JsonElement Json)> GetJsonAsync(string relativeUri)
    {
        using var response = await Http.GetAsync(Relative(relativeUri));
        var body = await response.Content.ReadAsByteArrayAsync();
        using var document = JsonDocument.Parse(body);
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>GETs a path that must succeed: HTTP 200 and an empty error array; returns the <c>result</c>.</summary>
    protected async Task<JsonElement> GetResultAsync(string relativeUri)
    {
        var (status, json) = await GetJsonAsync(relativeUri);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), relativeUri);
        Assert.That(json.GetProperty("error").GetArrayLength(), Is.Zero, () => $"{relativeUri}: {json}");
        return json.GetProperty("result");
    }

    /// <summary>GETs a path that Kraken rejects: HTTP 200, exactly one error string and no result.</summary>
    protected async Task<string> GetErrorAsync(string relativeUri)
    {
        var (status, json) = await GetJsonAsync(relativeUri);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), relativeUri);
        Assert.That(json.TryGetProperty("result", out _), Is.False, () => $"{relativeUri}: {json}");
        Assert.That(json.GetProperty("error").GetArrayLength(), Is.EqualTo(1), () => $"{relativeUri}: {json}");
        return json.GetProperty("error")[0].GetString()!;
    }

    /// <summary>Asserts the answer to <paramref name="relativeUri"/> has the shape of Kraken's documented example.</summary>
    protected async Task AssertMatchesFixtureAsync(string fixture, string relativeUri)
    {
        using var expected = JsonDocument.Parse(Fixtures.Bytes(fixture));
        var (status, actual) = await GetJsonAsync(relativeUri);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var differences = JsonShape.Differences(expected.RootElement, actual);
        Assert.That(differences, Is.Empty, () => $"{relativeUri} differs from {fixture}:\n{string.Join("\n", differences)}\n{actual}");
    }
}
