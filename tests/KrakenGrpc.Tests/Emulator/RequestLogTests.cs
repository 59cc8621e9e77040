using System.Net;
using System.Text.Json;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>The request log tells tests what reached the emulator: counts per path and each request's details.</summary>
[TestFixture]
public sealed class RequestLogTests : EmulatorTestBase
{
    [Test]
    public async Task Count_CountsRequestsPerExactPath()
    {
        await GetResultAsync("0/public/Time");
        await GetResultAsync("0/public/Time");
        await GetResultAsync("0/public/Ticker?pair=XBTUSD");

        Assert.Multiple(() =>
        {
            Assert.That(Kraken.Requests.Count("/0/public/Time"), Is.EqualTo(2));
            Assert.That(Kraken.Requests.Count("/0/public/Ticker"), Is.EqualTo(1));
            Assert.That(Kraken.Requests.Count("/0/public/Depth"), Is.Zero);
            Assert.That(Kraken.Requests.TotalCount, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task For_RecordsMethodPathQueryHeadersAndBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Relative("0/public/Ticker?x=1"));
        request.Headers.Add("API-Key", "test-key");
        request.Content = new FormUrlEncodedContent([new("pair", "XBTUSD")]);
        using (await Http.SendAsync(request))
        {
        }

        var recorded = Kraken.Requests.For("/0/public/Ticker").Single();
        Assert.Multiple(() =>
        {
            Assert.That(recorded.Method, Is.EqualTo("POST"));
            Assert.That(recorded.Path, Is.EqualTo("/0/public/Ticker"));
            Assert.That(recorded.Query, Is.EqualTo("x=1"));
            Assert.That(recorded.BodyText, Is.EqualTo("pair=XBTUSD"));
            Assert.That(recorded.Headers["api-key"], Is.EqualTo("test-key"));
        });
    }

    [Test]
    public async Task FaultedRequests_AreStillCounted_SoRetriesShow()
    {
        Kraken.Faults.Inject("/0/public/Time", Fault.Status(503));
        using (await Http.GetAsync(Relative("0/public/Time")))
        {
        }

        await GetResultAsync("0/public/Time");
        Assert.That(Kraken.Requests.Count("/0/public/Time"), Is.EqualTo(2));
    }

    [Test]
    public async Task UnknownPaths_AreCountedToo()
    {
        await GetJsonAsync("0/public/Nope");
        Assert.That(Kraken.Requests.Count("/0/public/Nope"), Is.EqualTo(1));
    }

    [Test]
    public async Task ControlPaths_AreNotLogged()
    {
        using (await Http.GetAsync(Relative("_emulator/requests")))
        {
        }

        Assert.That(Kraken.Requests.TotalCount, Is.Zero);
    }

    [Test]
    public async Task Clear_ForgetsRequestsAndCounts()
    {
        await GetResultAsync("0/public/Time");
        Kraken.Requests.Clear();
        Assert.Multiple(() =>
        {
            Assert.That(Kraken.Requests.Count("/0/public/Time"), Is.Zero);
            Assert.That(Kraken.Requests.For("/0/public/Time"), Is.Empty);
        });
    }

    [Test]
    public async Task HttpControl_Requests_AnswersCountsPerPath()
    {
        await GetResultAsync("0/public/Time");
        await GetResultAsync("0/public/SystemStatus");
        await GetResultAsync("0/public/Time");

        using var document = JsonDocument.Parse(await Http.GetStringAsync(Relative("_emulator/requests")));
        var root = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("total").GetInt32(), Is.EqualTo(3));
            Assert.That(root.GetProperty("counts").GetProperty("/0/public/Time").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("counts").GetProperty("/0/public/SystemStatus").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task HttpControl_DeleteRequests_ClearsTheLog()
    {
        await GetResultAsync("0/public/Time");
        using (var response = await Http.DeleteAsync(Relative("_emulator/requests")))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(Kraken.Requests.TotalCount, Is.Zero);
    }
}
