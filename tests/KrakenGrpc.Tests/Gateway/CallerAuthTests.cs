using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Health.V1;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Server.Hosting;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// Gateway tokens: with tokens configured, private RPCs need <c>authorization: Bearer</c> with a token allowed to use
/// the account the call names; nothing reaches Kraken for a refused caller, and no token appears in a status.
/// </summary>
public class CallerAuthTests
{
    private readonly string _deskToken = RandomToken();
    private readonly string _opsToken = RandomToken();
    private readonly string _hedgeKey = $"auth-hedge-{Guid.NewGuid():N}";
    private readonly string _hedgeSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private GatewayHost _closed = null!;

    private static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.Accounts.Add(new EmulatedAccountOptions(EmulatedAccountOptions.SandboxApiKey, EmulatedAccountOptions.SandboxApiSecret) { Tier = "Pro" });
        options.Accounts.Add(new EmulatedAccountOptions(_hedgeKey, _hedgeSecret) { Tier = "Pro" });
        _kraken = await KrakenEmulator.StartAsync(options);
        string[] common =
        [
            $"--Kraken:ApiKey={EmulatedAccountOptions.SandboxApiKey}",
            $"--Kraken:ApiSecret={EmulatedAccountOptions.SandboxApiSecret}",
            $"--Kraken:Accounts:hedge:ApiKey={_hedgeKey}",
            $"--Kraken:Accounts:hedge:ApiSecret={_hedgeSecret}",
            $"--Auth:Tokens:desk:Token={_deskToken}",
            "--Auth:Tokens:desk:Accounts:0=default",
            $"--Auth:Tokens:ops:Token={_opsToken}",
            "--Auth:Tokens:ops:Accounts:0=*",
        ];
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, common);
        _closed = await GatewayHost.StartAsync(_kraken.BaseAddress, [.. common, "--Auth:MarketDataOpen=false"]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _closed.DisposeAsync();
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _kraken.Requests.Clear();

    private static Metadata Bearer(string token, string? account = null)
    {
        var headers = new Metadata { { "authorization", $"Bearer {token}" } };
        if (account is not null)
        {
            headers.Add("kraken-account", account);
        }
        return headers;
    }

    [Test]
    public void PrivateCall_WithoutAToken_IsUnauthenticated_AndNothingIsSent()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest()))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("GATEWAY_TOKEN_MISSING"));
            Assert.That(failure.Status.Detail, Does.Contain("authorization: Bearer"));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }

    [Test]
    public void PrivateCall_WithAnUnknownToken_IsUnauthenticated_WithoutEchoingIt()
    {
        var wrong = RandomToken();

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.Orders.GetOpenOrdersAsync(new GetOpenOrdersRequest(), Bearer(wrong)))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("GATEWAY_TOKEN_INVALID"));
            Assert.That(failure.Status.Detail + string.Join(",", failure.ErrorInfo().Metadata.Values), Does.Not.Contain(wrong));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }

    [Test]
    public void Token_UsingAnAccountItMayNotUse_IsPermissionDenied_AndNothingIsSent()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () =>
            await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), Bearer(_deskToken, "hedge")))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(failure.ErrorInfo().Reason, Is.EqualTo("ACCOUNT_NOT_ALLOWED"));
            Assert.That(failure.ErrorInfo().Metadata["token"], Is.EqualTo("desk"));
            Assert.That(failure.ErrorInfo().Metadata["account"], Is.EqualTo("hedge"));
            Assert.That(failure.Status.Detail, Does.Not.Contain(_deskToken));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }

    [Test]
    public async Task Tokens_UseTheAccountsTheyAreAllowed()
    {
        await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), Bearer(_deskToken));
        await _gateway.Account.GetAccountBalanceAsync(new GetAccountBalanceRequest(), Bearer(_opsToken, "hedge"));

        var sent = _kraken.Requests.For("/0/private/Balance").Select(r => r.Headers["API-Key"]).ToList();
        Assert.That(sent, Is.EqualTo(new[] { EmulatedAccountOptions.SandboxApiKey, _hedgeKey }), "each call was signed for the account it named");
    }

    [Test]
    public void PrivateStream_WithoutAToken_IsUnauthenticated()
    {
        using var call = _gateway.Account.StreamBalances(new StreamBalancesRequest());

        var failure = Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext())!;

        Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
    }

    [Test]
    public async Task MarketData_IsOpenByDefault_AndClosedWhenConfigured()
    {
        var open = await _gateway.MarketData.GetServerTimeAsync(new GetServerTimeRequest());
        var closed = Assert.ThrowsAsync<RpcException>(async () => await _closed.MarketData.GetServerTimeAsync(new GetServerTimeRequest()))!;
        var withToken = await _closed.MarketData.GetServerTimeAsync(new GetServerTimeRequest(), Bearer(_deskToken));

        Assert.Multiple(() =>
        {
            Assert.That(open.ServerTime, Is.Not.Null);
            Assert.That(closed.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(withToken.ServerTime, Is.Not.Null);
        });
    }

    [Test]
    public void GetLevel3_NeedsAToken_EvenWithMarketDataOpen_BecauseItIsSignedWithAnAccountsKey()
    {
        var failure = Assert.ThrowsAsync<RpcException>(async () => await _gateway.MarketData.GetLevel3Async(new GetLevel3Request { Pair = "XBTUSD" }))!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }

    [Test]
    public async Task Health_StaysOpen_SoProbesNeedNoToken()
    {
        var health = await new Health.HealthClient(_closed.Channel).CheckAsync(new HealthCheckRequest());

        Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }

    [Test]
    public void StartUp_WithAShortOrSharedToken_StopsNamingTheSettingButNotTheToken()
    {
        const string weak = "hunter2";
        var shared = RandomToken();

        var failure = Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await GatewayApplication.CreateAsync(
            [
                "--urls", "http://127.0.0.1:0",
                $"--Auth:Tokens:weak:Token={weak}", "--Auth:Tokens:weak:Accounts:0=default",
                $"--Auth:Tokens:a:Token={shared}", "--Auth:Tokens:a:Accounts:0=default",
                $"--Auth:Tokens:b:Token={shared}", "--Auth:Tokens:b:Accounts:0=nowhere",
            ]);
            await app.StartAsync();
        })!;

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.Contain("Auth:Tokens:weak:Token must be at least 24 characters"));
            Assert.That(failure.Message, Does.Contain("Auth:Tokens:a and Auth:Tokens:b have the same token"));
            Assert.That(failure.Message, Does.Contain("Auth:Tokens:b:Accounts names 'nowhere'"));
            Assert.That(failure.Message, Does.Not.Contain(weak).And.Not.Contain(shared));
        });
    }

    [TestCase("http://0.0.0.0:0")]
    [TestCase("http://*:5000")]
    [TestCase("http://127.0.0.1:0;http://192.168.1.20:5000")]
    public void Sandbox_OnAnAddressOtherMachinesCouldReach_RefusesToStart(string urls)
    {
        var failure = Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var app = await GatewayApplication.CreateAsync(["--sandbox", "--urls", urls]);
        })!;

        Assert.That(failure.Message, Does.Contain("loopback only"));
    }

    [TestCase("http://127.0.0.1:0")]
    [TestCase("http://localhost:0")]
    [TestCase("http://[::1]:0")]
    public void Sandbox_OnLoopback_IsAccepted(string urls) =>
        Assert.DoesNotThrow(() => SandboxOptions.EnsureLoopbackOnly(urls));
}
