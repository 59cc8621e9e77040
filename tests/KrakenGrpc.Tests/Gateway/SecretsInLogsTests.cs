using System.Security.Cryptography;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace KrakenGrpc.Tests.Gateway;

/// <summary>
/// No API key, API secret, request signature, OAuth client secret, OAuth token or gateway token appears in any log line
/// (message, structured state or exception, every category at Trace level) or in any status a caller receives, over
/// every RPC of the contract and the failures around them: refused callers, Kraken errors, lost answers, re-signed
/// nonces, lockouts, unreachable upstreams.
/// </summary>
public class SecretsInLogsTests
{
    private const string OAuthClientId = "secrets-oauth-client";
    private const string RedirectUri = "https://secrets.example.invalid/callback";

    // Accounts per round of calls, taking turns, so that no call waits for a rate budget: each round's signed calls
    // stay within the burst of its accounts.
    private const int AccountsPerRound = 3;
    private static readonly string[] Rounds = ["plain", "refused", "faults", "lockout"];

    private readonly Dictionary<string, TestAccount> _accounts = Rounds
        .SelectMany(round => Enumerable.Range(0, AccountsPerRound).Select(turn => $"{round}{turn}"))
        .ToDictionary(name => name, name => new TestAccount(name));
    private readonly string _oauthSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    private readonly string _gatewayToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly FakeLogCollector _logs = new();
    private readonly List<string> _statuses = [];
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private string _accessToken = null!;
    private string _refreshToken = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.OAuthClients.Add(new EmulatedOAuthClient(OAuthClientId, _oauthSecret));
        foreach (var account in _accounts.Values)
        {
            options.Accounts.Add(account.AtKraken(new Dictionary<string, decimal> { ["ZUSD"] = 1_000_000m, ["XXBT"] = 10m, ["DOT"] = 1000m }));
        }
        _kraken = await KrakenEmulator.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, builder => builder.Logging.AddProvider(new FakeLoggerProvider(_logs)),
        [
            .. _accounts.Values.SelectMany(account => account.AsNamed),
            $"--Kraken:OAuth:ClientId={OAuthClientId}",
            $"--Kraken:OAuth:ClientSecret={_oauthSecret}",
            $"--Auth:Tokens:tests:Token={_gatewayToken}",
            "--Auth:Tokens:tests:Accounts:0=*",
            "--Streaming:PollInterval=01:00:00",
            "--Logging:LogLevel:Default=Trace",
        ]);

        var code = _kraken.OAuth.IssueAuthorizationCode(OAuthClientId, _accounts["plain0"].ApiKey, [], RedirectUri);
        var token = await new OAuthService.OAuthServiceClient(_gateway.Channel).GetOAuthAccessTokenAsync(
            new GetOAuthAccessTokenRequest { AuthorizationCode = new OAuthAuthorizationCodeGrant { Code = code, RedirectUri = RedirectUri } }, Headers());
        _accessToken = token.AccessToken;
        _refreshToken = token.RefreshToken;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    private Metadata Headers(string account = "plain0", string? token = null) => new()
    {
        { "authorization", $"Bearer {token ?? _gatewayToken}" },
        { "kraken-oauth-token", _accessToken ?? "none-yet" },
        { "kraken-account", account },
    };

    private async Task CallEveryRpcAsync(string round, string? token = null)
    {
        foreach (var (method, index) in EveryRpc.Methods.Select((m, i) => (m, i)))
        {
            var outcome = await EveryRpc.CallAsync(_gateway.Channel.CreateCallInvoker(), method, EveryRpc.Plausible(method),
                new CallOptions(Headers($"{round}{index % AccountsPerRound}", token), DateTime.UtcNow.AddSeconds(5)));
            _statuses.Add($"{method.Name}: {outcome.Status.Detail} {string.Join(' ', outcome.Trailers.Select(t => t.IsBinary ? System.Text.Encoding.UTF8.GetString(t.ValueBytes) : t.Value))}");
        }
    }

    [Test]
    public async Task EveryRpc_AndEveryKindOfFailure_LeaveNoSecretInLogsOrStatuses()
    {
        await CallEveryRpcAsync("plain");
        // Refused callers: the wrong gateway token is a secret too (someone's mistyped real one).
        var wrongToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await CallEveryRpcAsync("refused", wrongToken);
        // Kraken's own refusals and the gateway's reactions to them, on signed calls.
        _kraken.Faults.Inject("/0/private/Balance", Fault.KrakenError("EAPI:Invalid nonce"));
        _kraken.Faults.Inject("/0/private/OpenOrders", Fault.Status(500) with { Times = 5 });
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.LostAnswer(502));
        _kraken.Faults.Inject("/0/private/Withdraw", Fault.Malformed());
        _kraken.Faults.Inject("/oauth/userinfo", Fault.Status(401, """{"error":"invalid_token","error_description":"expired"}"""));
        await CallEveryRpcAsync("faults");
        _kraken.Faults.Inject("/0/private/TradeBalance", Fault.KrakenError("EGeneral:Temporary lockout"));
        await CallEveryRpcAsync("lockout");

        var secrets = new Dictionary<string, string>
        {
            ["OAuth client secret"] = _oauthSecret,
            ["OAuth access token"] = _accessToken,
            ["OAuth refresh token"] = _refreshToken,
            ["gateway token"] = _gatewayToken,
            ["wrong gateway token"] = wrongToken,
        };
        foreach (var (round, account) in _accounts)
        {
            secrets[$"API key of {round}"] = account.ApiKey;
            secrets[$"API secret of {round}"] = account.Secret;
        }
        foreach (var (signature, index) in _kraken.Requests.Recent().Select(r => r.Headers.GetValueOrDefault("API-Sign")).OfType<string>().Select((s, i) => (s, i)))
        {
            secrets[$"signature #{index}"] = signature;
        }
        var lines = _logs.GetSnapshot()
            .Select(r => $"[{r.Category}] {r.Message} {r.Exception} {string.Join(' ', r.StructuredState?.Select(s => $"{s.Key}={s.Value}") ?? [])}")
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.GreaterThan(500), "the run logged too little to prove anything");
            Assert.That(_statuses, Has.Count.EqualTo(4 * EveryRpc.Methods.Count));
            Assert.That(secrets.Keys.Count(k => k.StartsWith("signature", StringComparison.Ordinal)), Is.GreaterThan(80), "few signed calls reached Kraken");
            foreach (var (what, secret) in secrets)
            {
                Assert.That(lines.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal)), Is.Null, $"a log line holds the {what}");
                Assert.That(_statuses.FirstOrDefault(status => status.Contains(secret, StringComparison.Ordinal)), Is.Null, $"a status holds the {what}");
            }
        });
    }
}
