using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Earn;
using KrakenGrpc.Emulator.Endpoints;
using KrakenGrpc.Emulator.Funding;
using KrakenGrpc.Emulator.Trading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KrakenGrpc.Emulator;

/// <summary>
/// A Kraken Spot REST emulator on Kestrel: same paths, envelopes, number formats and error strings as Kraken's
/// public API, a simulated market behind them, and fault injection for tests. Integration tests and the gateway's
/// <c>--sandbox</c> mode talk to it over HTTP on loopback.
/// </summary>
/// <example>
/// <code>
/// await using var kraken = await KrakenEmulator.StartAsync(new() { PriceTickInterval = Timeout.InfiniteTimeSpan });
/// using var http = new HttpClient { BaseAddress = kraken.BaseAddress };
/// var ticker = await http.GetStringAsync("0/public/Ticker?pair=XBTUSD");
/// </code>
/// </example>
public sealed class KrakenEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _ticker;
    private readonly MatchingEngine _engine;
    private int _disposed;

    private KrakenEmulator(WebApplication app, CancellationTokenSource stopping, Task ticker, Uri baseAddress, EmulatorFaults faults, EmulatorRequestLog requests, EmulatedMarket market, EmulatedAccounts accounts, EmulatorStatistics statistics, MatchingEngine engine, EmulatedOAuth oauth)
    {
        _app = app;
        _stopping = stopping;
        _ticker = ticker;
        _engine = engine;
        BaseAddress = baseAddress;
        Faults = faults;
        Requests = requests;
        Market = market;
        Accounts = accounts;
        Statistics = statistics;
        OAuth = oauth;
    }

    /// <summary>The address actually bound, with a trailing slash (e.g. http://127.0.0.1:54321/).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Fault injection per request path.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>What arrived, for tests.</summary>
    public EmulatorRequestLog Requests { get; }

    /// <summary>The simulated market.</summary>
    public EmulatedMarket Market { get; }

    /// <summary>The paper accounts behind the private endpoints, to read their state without HTTP.</summary>
    public EmulatedAccounts Accounts { get; }

    /// <summary>What the private endpoints refused, per API key (invalid nonces and signatures, rate limits).</summary>
    public EmulatorStatistics Statistics { get; }

    /// <summary>Kraken Connect: the OAuth clients, and authorization codes for tests (<see cref="EmulatedOAuth.IssueAuthorizationCode"/>).</summary>
    public EmulatedOAuth OAuth { get; }

    /// <summary>Builds the market (a day of history), starts Kestrel and, unless disabled, the price ticker.</summary>
    public static async Task<KrakenEmulator> StartAsync(KrakenEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KrakenEmulatorOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Url);
        if (options.PriceTickInterval != Timeout.InfiniteTimeSpan && options.PriceTickInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PriceTickInterval must be positive or Timeout.InfiniteTimeSpan.");
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        if (options.WithdrawalSettleTime < TimeSpan.Zero || options.EarnOperationTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "WithdrawalSettleTime and EarnOperationTime must not be negative.");
        }

        var clock = options.TimeProvider;
        var market = new EmulatedMarket(options.Seed, clock);
        var faults = new EmulatorFaults();
        var requests = new EmulatorRequestLog();
        var table = new EndpointTable();
        new PublicEndpoints(market).Register(table);

        // The private half: paper accounts (their starting balances arrive as deposits), the matching engine (which
        // every market step drives), and the endpoints behind the signature, nonce and rate-limit checks. The Earn
        // book completes its operations whenever the engine lets time catch up.
        var statistics = new EmulatorStatistics();
        var funding = new FundingBook(new FundingCatalogue(market.Catalogue), market.Catalogue);
        var registry = new AccountRegistry(options.Accounts, market.Catalogue, funding, clock, market.NowNs);
        var engine = new MatchingEngine(market, registry, new AssetValuation(market), clock, statistics, options.EnforceRateLimits);
        var earn = new EarnBook(new EarnCatalogue(market.Catalogue), registry, clock, () => market.NowNs, options.EarnOperationTime);
        engine.AfterSweep = earn.Sweep;
        market.AfterStep = engine.Sweep;
        var privateEndpoints = new PrivateEndpoints(market, registry, engine, statistics);
        new AccountEndpoints(privateEndpoints).Register(table);
        new TradingEndpoints(privateEndpoints, statistics).Register(table);
        new ExportEndpoints(privateEndpoints, options.ExportProcessingTime).Register(table);
        new FundingEndpoints(privateEndpoints, funding, options.WithdrawalSettleTime).Register(table);
        new EarnEndpoints(privateEndpoints, earn).Register(table);
        var accounts = new EmulatedAccounts(market, registry, engine, funding, earn);

        // Kraken Connect: OAuth clients, tokens and Fast API keys (which become keys of the registry's accounts).
        var oauth = new EmulatedOAuth(options.OAuthClients, registry, market.Gate, clock);
        new OAuthEndpoints(oauth, registry, market, clock).Register(table);

        // An empty builder: no configuration files, environment variables or logging providers, so an emulator
        // embedded in a test run or in the gateway is not affected by, and does not print into, its host.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.WebHost.UseUrls(options.Url);
        var app = builder.Build();

        var stopping = new CancellationTokenSource();
        var pipeline = new EmulatorPipeline(table, new ControlEndpoints(faults, requests, market, oauth), faults, requests, clock, stopping.Token);
        app.Run(pipeline.HandleAsync);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            stopping.Dispose();
            engine.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");

        var ticker = options.PriceTickInterval == Timeout.InfiniteTimeSpan
            ? Task.CompletedTask
            : TickAsync(market, options.PriceTickInterval, clock, stopping.Token);

        return new KrakenEmulator(app, stopping, ticker, baseAddress, faults, requests, market, accounts, statistics, engine, oauth);
    }

    /// <summary>Stops the ticker and Kestrel. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _ticker.ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        lock (Market.Gate)
        {
            _engine.Dispose();
        }

        _stopping.Dispose();
    }

    private static async Task TickAsync(EmulatedMarket market, TimeSpan interval, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                market.Step();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal: the ticker simply stops.
        }
    }
}
