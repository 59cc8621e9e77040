using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KrakenGrpc.Emulator;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Private calls are authenticated as Kraken does (protocol.md §2, §3): API-Key names an account, API-Sign is the
/// HMAC of the exact bytes, nonces only go up (or stay inside the key's window, once each).
/// </summary>
[TestFixture]
public sealed class AuthenticationTests : PrivateEmulatorTestBase
{
    [TestCase("/0/private/AddOrder", "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
        "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==", TestName = "TestSigner_KrakensOfficialVector")]
    [TestCase("/0/private/AddOrder", """{"nonce":1616492376594,"ordertype":"limit","pair":"XBTUSD","price":"37500","type":"buy","volume":"1.25"}""",
        "kMkTQfyYJH05IdnWQ9TIqL9Kq+dKqcD5O/TGPPLRwwy1is/YvqEYtMAHf7tXsqwfbLwp7pbzJzWHxzKPnL8rfA==", TestName = "TestSigner_DerivedJsonVector")]
    [TestCase("/0/private/Balance", "nonce=1616492376594",
        "1nH4vwR+8FHiYh1QT649xXkGd3JR3x0DWkgv3u9Ed/Qqv6KPtgQpEU4m+Emb/VgpEji3j1XNwI+HCbfXxmrTOg==", TestName = "TestSigner_DerivedBalanceVector")]
    public void TestSigner_ReproducesTheProtocolVectors(string uriPath, string body, string expected)
    {
        // The vectors use the same secret as the test account, so the emulator must accept these exact requests.
        Assert.That(TestSigner.Sign(Secret, uriPath, "1616492376594", Encoding.UTF8.GetBytes(body)), Is.EqualTo(expected));
    }

    [Test]
    public async Task OfficialVectorRequest_IsAcceptedByTheEmulator()
    {
        var body = Encoding.UTF8.GetBytes("nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25");
        using var response = await Client.SendAsync("AddOrder", body, "application/x-www-form-urlencoded", "1616492376594",
            signature: "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
        var text = await response.Content.ReadAsStringAsync();

        // Authenticated: the answer is about the order, not the key or signature.
        Assert.That(text, Does.Not.Contain("EAPI:"));
        Assert.That(Account.HighestNonce, Is.EqualTo(1616492376594UL));
    }

    [Test]
    public async Task UnknownKey_AnswersInvalidKey()
    {
        using var response = await Client.SendAsync("Balance", "nonce=5"u8.ToArray(), "application/x-www-form-urlencoded", "5", key: "nobody");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(body, Is.EqualTo("{\"error\":[\"EAPI:Invalid key\"]}"));
            Assert.That(Kraken.Statistics.InvalidKeys, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task WrongSecret_AnswersInvalidSignature_AndCountsIt()
    {
        var other = new PrivateClient(Http, Key, Convert.ToBase64String(new byte[64]));
        var error = await PrivateClient.ErrorFromAsync(other.PostAsync("Balance"));
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.EqualTo("EAPI:Invalid signature"));
            Assert.That(Kraken.Statistics.For(Key).InvalidSignatures, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task BodyChangedAfterSigning_AnswersInvalidSignature()
    {
        var signed = Encoding.UTF8.GetBytes("nonce=7&asset=ZUSD");
        var signature = TestSigner.Sign(Secret, "/0/private/TradeBalance", "7", signed);
        using var response = await Client.SendAsync("TradeBalance", Encoding.UTF8.GetBytes("nonce=7&asset=ZEUR"), "application/x-www-form-urlencoded", "7", signature);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("EAPI:Invalid signature"));
    }

    [Test]
    public async Task SignatureForAnotherPath_AnswersInvalidSignature()
    {
        var body = "nonce=9"u8.ToArray();
        var signature = TestSigner.Sign(Secret, "/0/private/Balance", "9", body);
        using var response = await Client.SendAsync("BalanceEx", body, "application/x-www-form-urlencoded", "9", signature);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("EAPI:Invalid signature"));
    }

    [Test]
    public async Task MissingSignatureHeader_AnswersInvalidSignature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("0/private/Balance", UriKind.Relative))
        {
            Content = new StringContent("nonce=11", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("API-Key", Key);
        using var response = await Http.SendAsync(request);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("EAPI:Invalid signature"));
    }

    [Test]
    public async Task RepeatedAndLowerNonces_AnswerInvalidNonce_AndAreCounted()
    {
        PrivateClient.Result("Balance", await Client.PostFormAsync("Balance", 500));

        var repeated = PrivateClient.Error("Balance", await Client.PostFormAsync("Balance", 500));
        var lower = PrivateClient.Error("Balance", await Client.PostFormAsync("Balance", 499));
        PrivateClient.Result("Balance", await Client.PostFormAsync("Balance", 501));

        Assert.Multiple(() =>
        {
            Assert.That(repeated, Is.EqualTo("EAPI:Invalid nonce"));
            Assert.That(lower, Is.EqualTo("EAPI:Invalid nonce"));
            Assert.That(Kraken.Statistics.For(Key).InvalidNonces, Is.EqualTo(2));
            Assert.That(Kraken.Statistics.For(Key).AuthenticatedCalls, Is.EqualTo(2));
        });
    }

    [TestCase("")]
    [TestCase("-5")]
    [TestCase("abc")]
    [TestCase("99999999999999999999999")]
    public async Task MalformedNonce_AnswersInvalidNonce(string nonce)
    {
        var body = Encoding.UTF8.GetBytes("nonce=" + nonce);
        using var response = await Client.SendAsync("Balance", body, "application/x-www-form-urlencoded", nonce);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("EAPI:Invalid nonce"));
    }

    [Test]
    public async Task JsonBody_IsVerifiedOverItsExactBytes()
    {
        var result = await Client.JsonResultAsync("Balance", new JsonObject());
        Assert.That(result.GetProperty("ZUSD").GetString(), Is.EqualTo("100000.0000"));
    }

    [Test]
    public async Task PrivatePath_ByGet_IsAnUnknownMethod()
    {
        using var response = await Http.GetAsync(new Uri("0/private/Balance", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"error\":[\"EGeneral:Unknown method\"]}"));
    }
}

/// <summary>With a nonce window, a slightly older nonce is accepted once; below the window or repeated it is not.</summary>
[TestFixture]
public sealed class NonceWindowTests : PrivateEmulatorTestBase
{
    private const string WindowKey = "windowed-key";

    [Test]
    public async Task NonceInsideWindow_IsAcceptedOnce_BelowWindowRefused()
    {
        var client = new PrivateClient(Http, WindowKey, Secret);
        PrivateClient.Result("Balance", await client.PostFormAsync("Balance", 1_000));

        var insideWindow = await client.PostFormAsync("Balance", 995);
        var sameAgain = await client.PostFormAsync("Balance", 995);
        var belowWindow = await client.PostFormAsync("Balance", 989);
        var atWindowEdge = await client.PostFormAsync("Balance", 990);
        var highestAgain = await client.PostFormAsync("Balance", 1_000);

        Assert.Multiple(() =>
        {
            Assert.That(insideWindow.GetProperty("error").GetArrayLength(), Is.Zero);
            Assert.That(PrivateClient.Error("Balance", sameAgain), Is.EqualTo("EAPI:Invalid nonce"));
            Assert.That(PrivateClient.Error("Balance", belowWindow), Is.EqualTo("EAPI:Invalid nonce"));
            Assert.That(atWindowEdge.GetProperty("error").GetArrayLength(), Is.Zero);
            Assert.That(PrivateClient.Error("Balance", highestAgain), Is.EqualTo("EAPI:Invalid nonce"));
            Assert.That(Kraken.Statistics.For(WindowKey).InvalidNonces, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task GetApiKeyInfo_ReportsTheWindowAndHighestNonce()
    {
        var client = new PrivateClient(Http, WindowKey, Secret);
        var info = PrivateClient.Result("GetApiKeyInfo", await client.PostFormAsync("GetApiKeyInfo", 4_242));
        Assert.Multiple(() =>
        {
            Assert.That(info.GetProperty("nonceWindow").GetInt64(), Is.EqualTo(10));
            Assert.That(info.GetProperty("nonce").GetString(), Is.EqualTo("4242"));
            Assert.That(info.GetProperty("apiKey").GetString(), Is.EqualTo(WindowKey));
        });
    }

    protected override void Configure(KrakenEmulatorOptions options) =>
        options.Accounts.Add(new EmulatedAccountOptions(WindowKey, Secret) { NonceWindow = 10 });
}

/// <summary>Without configured accounts the emulator opens the sandbox account with its published key and secret.</summary>
[TestFixture]
public sealed class SandboxAccountTests
{
    [Test]
    public async Task NoAccountsConfigured_SandboxKeyWorks_WithGenerousBalances()
    {
        await using var kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        using var http = new HttpClient { BaseAddress = kraken.BaseAddress };
        var client = new PrivateClient(http, EmulatedAccountOptions.SandboxApiKey, EmulatedAccountOptions.SandboxApiSecret);

        var balance = await client.ResultAsync("Balance");

        Assert.Multiple(() =>
        {
            Assert.That(Convert.FromBase64String(EmulatedAccountOptions.SandboxApiSecret), Has.Length.EqualTo(64));
            Assert.That(kraken.Accounts.ApiKeys, Is.EqualTo(new[] { EmulatedAccountOptions.SandboxApiKey }));
            Assert.That(decimal.Parse(balance.GetProperty("ZUSD").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(100_000m));
            Assert.That(balance.GetProperty("XXBT").GetString(), Is.EqualTo("10.0000000000"));
        });
    }

    [Test]
    public void SecretThatIsNotBase64_StopsStartWithoutShowingIt()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.Accounts.Add(new EmulatedAccountOptions("k", "not*base64!"));
        var error = Assert.ThrowsAsync<ArgumentException>(() => KrakenEmulator.StartAsync(options));
        Assert.That(error!.Message, Does.Contain("'k'").And.Not.Contain("not*base64!"));
    }
}
