using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Server.Validation;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.BadInput;

/// <summary>
/// Thousands of random and malformed requests at every RPC of every service, through a real gRPC channel to the
/// gateway in front of the emulator. Whatever a caller sends, the gateway never fails with INTERNAL or UNKNOWN, never
/// sends Kraken a request it then refuses as invalid, and still answers its health check afterwards. Valid requests
/// among the random ones legitimately reach the emulator (and may be refused there: an unknown pair, a missing order).
/// </summary>
/// <remarks>
/// The seed is printed; set <c>KRAKEN_FUZZ_SEED</c> to replay a failing run. Each RPC signs for its own Pro-tier
/// paper account, so the valid calls of one RPC never spend another's rate budget.
/// </remarks>
public class EveryRpcFuzzTests
{
    private const int RequestsPerRpc = 30;
    private const int RawRequestsPerRpc = 12;
    private const int DefaultSeed = 60_606;

    private const string OAuthClientId = "fuzz-oauth-client";
    private const string RedirectUri = "https://fuzz.example.invalid/callback";

    /// <summary>Long enough for a valid call on a loaded machine; short enough that a rate wait beyond it is refused at once.</summary>
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(2);

    /// <summary>A stream that accepted its request has sent its first message well within this.</summary>
    private static readonly TimeSpan StreamDeadline = TimeSpan.FromSeconds(1);

    /// <summary>Accounts per RPC, taking turns: three rate budgets absorb the valid calls among the random ones.</summary>
    private const int AccountsPerRpc = 3;

    private readonly string _oauthSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    private readonly Dictionary<string, (string Key, string Secret)> _accounts = EveryRpc.Methods
        .SelectMany(method => Enumerable.Range(0, AccountsPerRpc).Select(turn => AccountName(method, turn)))
        .ToDictionary(name => name, name => ($"fuzz-{name}-{Guid.NewGuid():N}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))));

    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private string _accessToken = null!;

    private static string AccountName(MethodDescriptor method, int turn) => $"{method.Name.ToLowerInvariant()}{turn % AccountsPerRpc}";

    private static int Seed => Environment.GetEnvironmentVariable("KRAKEN_FUZZ_SEED") is { Length: > 0 } text
        ? int.Parse(text, CultureInfo.InvariantCulture)
        : DefaultSeed;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan };
        options.OAuthClients.Add(new EmulatedOAuthClient(OAuthClientId, _oauthSecret));
        foreach (var (name, (key, secret)) in _accounts)
        {
            options.Accounts.Add(new EmulatedAccountOptions(key, secret)
            {
                Tier = "Pro",
                Name = $"fuzz-{name}",
                Balances = new Dictionary<string, decimal> { ["ZUSD"] = 10_000_000m, ["XXBT"] = 1_000m, ["XETH"] = 10_000m, ["DOT"] = 100_000m },
            });
        }
        _kraken = await KrakenEmulator.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress,
        [
            .. _accounts.SelectMany(a => new[]
            {
                $"--Kraken:Accounts:{a.Key}:ApiKey={a.Value.Key}",
                $"--Kraken:Accounts:{a.Key}:ApiSecret={a.Value.Secret}",
                $"--Kraken:Accounts:{a.Key}:Tier=Pro",
            }),
            $"--Kraken:OAuth:ClientId={OAuthClientId}",
            $"--Kraken:OAuth:ClientSecret={_oauthSecret}",
            // A stream polls once when it starts; no poll lands later in the middle of another call's count.
            "--Streaming:PollInterval=01:00:00",
            "--Logging:LogLevel:Default=None",
        ]);

        var code = _kraken.OAuth.IssueAuthorizationCode(OAuthClientId, _accounts["getoauthuserinfo0"].Key, [], RedirectUri);
        var token = await new OAuthService.OAuthServiceClient(_gateway.Channel).GetOAuthAccessTokenAsync(new GetOAuthAccessTokenRequest
        {
            AuthorizationCode = new OAuthAuthorizationCodeGrant { Code = code, RedirectUri = RedirectUri },
        });
        _accessToken = token.AccessToken;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [Test]
    public Task EveryRpc_WithRandomRequests_NeverFailsInternally_AndSendsNothingItRefuses() => FuzzAsync(raw: false);

    [Test]
    public Task EveryRpc_WithMalformedProtobufBytes_NeverFailsInternally_AndSendsNothingItRefuses() => FuzzAsync(raw: true);

    private async Task FuzzAsync(bool raw)
    {
        var seed = Seed;
        var perRpc = raw ? RawRequestsPerRpc : RequestsPerRpc;
        await TestContext.Progress.WriteLineAsync(
            $"Fuzzing {EveryRpc.Methods.Count} RPCs with {(raw ? "malformed bytes" : "random requests")}, seed {seed} (replay: KRAKEN_FUZZ_SEED={seed})");
        var fuzzer = new RequestFuzzer(new Random(raw ? ~seed : seed));
        var problems = new List<(string Kind, string Example)>();
        var codes = new Dictionary<StatusCode, int>();
        var upstreamRefusals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var calls = 0;

        foreach (var method in EveryRpc.Methods)
        {
            var started = watch.Elapsed;
            for (var i = 0; i < perRpc; i++)
            {
                var request = raw ? null : fuzzer.Request(method);
                var bytes = raw ? fuzzer.RawRequest(method) : null;
                var before = _kraken.Requests.TotalCount;

                var outcome = raw
                    ? await EveryRpc.CallRawAsync(_gateway.Channel.CreateCallInvoker(), method, bytes!, Options(method, i))
                    : await EveryRpc.CallAsync(_gateway.Channel.CreateCallInvoker(), method, request!, Options(method, i));
                calls++;
                codes[outcome.Code] = codes.GetValueOrDefault(outcome.Code) + 1;

                var sent = _kraken.Requests.TotalCount - before;
                var what = raw ? $"raw bytes {Convert.ToHexString(bytes!.Length > 64 ? bytes[..64] : bytes)}" : Describe(request!);
                var info = outcome.Exception?.GetRpcStatus()?.GetDetail<ErrorInfo>();
                if (outcome.Code is StatusCode.Internal or StatusCode.Unknown)
                {
                    problems.Add(($"{method.Name}: {outcome.Code} \"{outcome.Status.Detail}\"{(raw ? " for raw bytes" : "")}", $"#{i} {what}"));
                }
                else if (outcome.Code == StatusCode.InvalidArgument && info?.Metadata.ContainsKey("kraken_error") != true)
                {
                    // The gateway's own refusal: nothing may have left, and (for a message it could read) it names the field.
                    if (sent != 0)
                    {
                        problems.Add(($"{method.Name}: refused as invalid but sent to Kraken", $"#{i} {sent} request(s) for {what}"));
                    }
                    if (!raw && (info?.Reason is not (RequestValidation.Reason or "REQUEST_TOO_LARGE") || outcome.Exception!.GetRpcStatus()?.GetDetail<BadRequest>() is not { FieldViolations.Count: > 0 }))
                    {
                        problems.Add(($"{method.Name}: refused without a field violation: \"{outcome.Status.Detail}\"", $"#{i} {what}"));
                    }
                }
                else if (outcome.Code == StatusCode.InvalidArgument)
                {
                    upstreamRefusals[$"{method.Name}: {info!.Metadata["kraken_error"]}"] = upstreamRefusals.GetValueOrDefault($"{method.Name}: {info.Metadata["kraken_error"]}") + 1;
                }

                if ((method.IsServerStreaming && outcome.Code != StatusCode.InvalidArgument) || outcome.Code is StatusCode.DeadlineExceeded or StatusCode.Cancelled)
                {
                    // A stream's first poll or a call given up on may still be on its way to Kraken: let it land first.
                    await QuietAsync();
                }
            }
            if (watch.Elapsed - started > TimeSpan.FromSeconds(2))
            {
                await TestContext.Progress.WriteLineAsync($"  {method.Name} took {(watch.Elapsed - started).TotalSeconds:0.0} s");
            }
        }

        var health = await new Health.HealthClient(_gateway.Channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        await TestContext.Progress.WriteLineAsync(
            $"{calls} calls in {watch.Elapsed.TotalSeconds:0.0} s; statuses: {string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}");
        foreach (var (refusal, count) in upstreamRefusals)
        {
            await TestContext.Progress.WriteLineAsync($"  refused by Kraken as invalid ({count}x): {refusal}");
        }

        // One line per kind of problem (RPC, status, message) with its count and first example, so a run shows them all.
        var kinds = problems.GroupBy(p => p.Kind).Select(g => $"{g.Count()}x {g.Key}, e.g. {g.First().Example}").ToList();
        foreach (var kind in kinds)
        {
            await TestContext.Progress.WriteLineAsync("  PROBLEM " + kind);
        }
        Assert.Multiple(() =>
        {
            Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving), "the gateway stopped serving");
            Assert.That(kinds, Is.Empty, $"seed {seed}: {problems.Count} problem(s) of {kinds.Count} kinds");
            Assert.That(calls, Is.EqualTo(EveryRpc.Methods.Count * perRpc));
        });
    }

    private CallOptions Options(MethodDescriptor method, int turn)
    {
        var headers = new Metadata { { "kraken-account", AccountName(method, turn) } };
        if (EveryRpc.IsOAuth(method))
        {
            headers.Add("kraken-oauth-token", _accessToken);
        }
        return new CallOptions(headers, DateTime.UtcNow + (method.IsServerStreaming ? StreamDeadline : CallDeadline));
    }

    /// <summary>Waits until no request has reached the emulator for a moment.</summary>
    private async Task QuietAsync()
    {
        var count = _kraken.Requests.TotalCount;
        for (var i = 0; i < 100; i++)
        {
            await Task.Delay(40);
            var now = _kraken.Requests.TotalCount;
            if (now == count)
            {
                return;
            }
            count = now;
        }
    }

    // Enough of the request to recognise it; huge fields are cut.
    private static string Describe(Google.Protobuf.IMessage request)
    {
        var text = request.ToString() ?? string.Empty;
        return text.Length <= 400 ? text : text[..400] + "...";
    }
}
