using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.JsonHttp;

/// <summary>
/// The JSON/HTTP face end to end: HttpClient -> gateway (transcoding, the same interceptors and services as gRPC)
/// -> emulator. Reads are GETs with query parameters, writes POSTs with a JSON body, errors a JSON google.rpc.Status
/// with the matching HTTP status; h2c on the gRPC address, HTTP/1.1 on <c>Http:Url</c>.
/// </summary>
public class JsonHttpGatewayTests
{
    private const string Pair = "XBTUSD";
    private const string PairKey = "XXBTZUSD";

    private static readonly JsonParser StatusParser =
        new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));

    private readonly string _deskToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private KrakenEmulator _kraken = null!;
    private GatewayHost _gateway = null!;
    private GatewayHost _guarded = null!;
    private HttpClient _h2c = null!;
    private HttpClient _http11 = null!;
    private HttpClient _guardedHttp11 = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kraken = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        string[] sandboxAccount = [$"--Kraken:ApiKey={EmulatedAccountOptions.SandboxApiKey}", $"--Kraken:ApiSecret={EmulatedAccountOptions.SandboxApiSecret}"];
        var http11Url = FreeLoopbackUrl();
        _gateway = await GatewayHost.StartAsync(_kraken.BaseAddress, [.. sandboxAccount, $"--Http:Url={http11Url}"]);
        var guardedUrl = FreeLoopbackUrl();
        _guarded = await GatewayHost.StartAsync(_kraken.BaseAddress,
            [.. sandboxAccount, $"--Http:Url={guardedUrl}", $"--Auth:Tokens:desk:Token={_deskToken}", "--Auth:Tokens:desk:Accounts:0=default"]);

        _h2c = new HttpClient
        {
            BaseAddress = _gateway.Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _http11 = new HttpClient { BaseAddress = http11Url, DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        _guardedHttp11 = new HttpClient { BaseAddress = guardedUrl };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _h2c.Dispose();
        _http11.Dispose();
        _guardedHttp11.Dispose();
        await _guarded.DisposeAsync();
        await _gateway.DisposeAsync();
        await _kraken.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _kraken.Faults.Clear();
        _kraken.Requests.Clear();
    }

    [Test]
    public async Task GetTicker_OverH2cOnTheGrpcAddress_IsJsonWithKrakensDecimalTextUnchanged()
    {
        var kraken = await KrakenTickerAsync();

        using var response = await _h2c.GetAsync(new Uri($"/v1/market/ticker?pair={Pair}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        });
        AssertTickerIsKrakens(body, kraken);
    }

    [Test]
    public async Task GetTicker_OverHttp11OnTheHttpUrl_IsTheSameJson_AndTheGrpcAddressStillServesGrpc()
    {
        var kraken = await KrakenTickerAsync();

        using var response = await _http11.GetAsync(new Uri($"/v1/market/ticker?pair={Pair}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var overGrpc = await _gateway.MarketData.GetTickerAsync(new GetTickerRequest { Pair = { Pair } });

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version11));
            Assert.That(overGrpc.Tickers[PairKey].Ask.Price, Is.EqualTo(kraken.GetProperty("a")[0].GetString()));
        });
        AssertTickerIsKrakens(body, kraken);
    }

    [Test]
    public async Task QueryParameters_BindRepeatedFieldsByRepetition_AndEnumsByName()
    {
        using var tickers = await _http11.GetAsync(new Uri($"/v1/market/ticker?pair={Pair}&pair=ETHUSD", UriKind.Relative));
        var tickersBody = await tickers.Content.ReadAsStringAsync();
        using var candles = await _http11.GetAsync(new Uri($"/v1/market/candles?pair={Pair}&interval=OHLC_INTERVAL_ONE_HOUR", UriKind.Relative));
        var candlesBody = await candles.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(tickers.StatusCode, Is.EqualTo(HttpStatusCode.OK), tickersBody);
            Assert.That(JsonParser.Default.Parse<GetTickerResponse>(tickersBody).Tickers.Keys, Is.EquivalentTo(new[] { PairKey, "XETHZUSD" }));
            Assert.That(candles.StatusCode, Is.EqualTo(HttpStatusCode.OK), candlesBody);
            Assert.That(JsonParser.Default.Parse<GetCandlesResponse>(candlesBody).Candles, Is.Not.Empty);
            Assert.That(_kraken.Requests.For("/0/public/OHLC").Single().Query, Does.Contain("interval=60"));
        });
    }

    [Test]
    public async Task SubmitOrder_AsAJsonPost_PlacesThePaperOrderOnce()
    {
        var price = decimal.Round(_kraken.Market.LastPrice(Pair) / 2, 0).ToString(CultureInfo.InvariantCulture);
        var clOrdId = Guid.NewGuid().ToString("N");
        var order = $$"""
            {"pair":"{{Pair}}","type":"ORDER_SIDE_BUY","ordertype":"ORDER_TYPE_LIMIT","volume":"0.01","price":"{{price}}","cl_ord_id":"{{clOrdId}}"}
            """;

        using var response = await _http11.PostAsync(new Uri("/v1/orders", UriKind.Relative), Json(order));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var submitted = JsonParser.Default.Parse<SubmitOrderResponse>(body);
        var paper = _kraken.Accounts[EmulatedAccountOptions.SandboxApiKey];
        Assert.Multiple(() =>
        {
            Assert.That(submitted.ClOrdId, Is.EqualTo(clOrdId));
            Assert.That(submitted.Txids, Has.Count.EqualTo(1));
            Assert.That(paper.OpenOrders.Count(o => o.ClOrdId == clOrdId), Is.EqualTo(1));
            Assert.That(paper.Order(submitted.Txids.Single()) is { Side: "buy", OrderType: "limit", Volume: 0.01m }, Is.True);
            Assert.That(_kraken.Requests.Count("/0/private/AddOrder"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SubmitOrder_WhoseAnswerWasLost_IsReconciled_AndSaysSoInAResponseHeader()
    {
        var price = decimal.Round(_kraken.Market.LastPrice(Pair) / 2, 0).ToString(CultureInfo.InvariantCulture);
        var clOrdId = Guid.NewGuid().ToString("N");
        _kraken.Faults.Inject("/0/private/AddOrder", Fault.LostAnswer(500));

        using var response = await _h2c.PostAsync(new Uri("/v1/orders", UriKind.Relative), Json($$"""
            {"pair":"{{Pair}}","type":"ORDER_SIDE_BUY","ordertype":"ORDER_TYPE_LIMIT","volume":"0.01","price":"{{price}}","cl_ord_id":"{{clOrdId}}"}
            """));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var paper = _kraken.Accounts[EmulatedAccountOptions.SandboxApiKey];
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.GetValues("kraken-reconciled"), Is.EqualTo(new[] { "true" }));
            Assert.That(JsonParser.Default.Parse<SubmitOrderResponse>(body).Txids.Single(), Is.EqualTo(paper.OpenOrders.Single(o => o.ClOrdId == clOrdId).Txid));
        });
    }

    [Test]
    public async Task InvalidInput_Is400_WithTheStatusItsErrorInfoAndBadRequestAsJson_AndNothingIsSent()
    {
        using var response = await _http11.GetAsync(new Uri($"/v1/market/order-book?pair={Pair}&count=900", UriKind.Relative));
        var status = await StatusOfAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(status.Code, Is.EqualTo((int)Code.InvalidArgument));
            Assert.That(Detail<ErrorInfo>(status) is { Domain: "api.kraken.com", Reason: "INVALID_REQUEST" }, Is.True);
            Assert.That(Detail<BadRequest>(status).FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "count" }));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }

    [Test]
    public async Task MalformedJsonBody_Is400InvalidArgument_AndNothingIsSent()
    {
        using var response = await _http11.PostAsync(new Uri("/v1/orders", UriKind.Relative), Json("""{"pair":"XBTUSD","volume":"""));
        var status = await StatusOfAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(status.Code, Is.EqualTo((int)Code.InvalidArgument));
            Assert.That(_kraken.Requests.TotalCount, Is.Zero);
        });
    }

    [Test]
    public async Task UnknownPair_Is404_WithKrakensErrorTextInTheErrorInfo()
    {
        using var response = await _h2c.GetAsync(new Uri("/v1/market/ticker?pair=NOPEUSD", UriKind.Relative));
        var status = await StatusOfAsync(response);
        var info = Detail<ErrorInfo>(status);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(status.Code, Is.EqualTo((int)Code.NotFound));
            Assert.That(info.Reason, Is.EqualTo("UNKNOWN_ASSET_PAIR"));
            Assert.That(info.Metadata["kraken_error"], Is.EqualTo("EQuery:Unknown asset pair"));
        });
    }

    [Test]
    public async Task PrivateRead_WithoutAGatewayToken_Is401_AndNothingIsSent_WithOne_ReturnsTheBalances()
    {
        using var refused = await _guardedHttp11.GetAsync(new Uri("/v1/account/balance", UriKind.Relative));
        var status = await StatusOfAsync(refused);
        var sentForRefused = _kraken.Requests.TotalCount;
        using var allowed = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/account/balance", UriKind.Relative));
        allowed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _deskToken);
        using var answered = await _guardedHttp11.SendAsync(allowed);
        var body = await answered.Content.ReadAsStringAsync();
        using var marketData = await _guardedHttp11.GetAsync(new Uri($"/v1/market/ticker?pair={Pair}", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Detail<ErrorInfo>(status).Reason, Is.EqualTo("GATEWAY_TOKEN_MISSING"));
            Assert.That(sentForRefused, Is.Zero);
            Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(JsonParser.Default.Parse<GetAccountBalanceResponse>(body).Balances, Does.ContainKey("ZUSD"));
            Assert.That(marketData.StatusCode, Is.EqualTo(HttpStatusCode.OK), "market data stays open by default");
        });
    }

    [Test]
    public async Task StreamTicker_AsAGet_SendsNewlineDelimitedJson_StartingWithTheSnapshot()
    {
        var kraken = await KrakenTickerAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await _http11.GetAsync(new Uri($"/v1/market/ticker/stream?pair={Pair}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
        var first = await reader.ReadLineAsync(timeout.Token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var snapshot = JsonParser.Default.Parse<StreamTickerResponse>(first);
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Snapshot, Is.True);
            Assert.That(snapshot.Tickers[PairKey].Ask.Price, Is.EqualTo(kraken.GetProperty("a")[0].GetString()));
        });
    }

    // A loopback address nothing listens on yet, for the HTTP/1.1 endpoint (port 0 would leave it unknown to the test).
    private static Uri FreeLoopbackUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonElement> KrakenTickerAsync()
    {
        using var http = new HttpClient { BaseAddress = _kraken.BaseAddress };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri($"0/public/Ticker?pair={Pair}", UriKind.Relative)));
        _kraken.Requests.Clear();
        return document.RootElement.GetProperty("result").GetProperty(PairKey).Clone();
    }

    private static void AssertTickerIsKrakens(string body, JsonElement kraken)
    {
        var ticker = JsonDocument.Parse(body).RootElement.GetProperty("tickers").GetProperty(PairKey);
        string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(Text(ticker.GetProperty("ask"), "price"), Is.EqualTo(kraken.GetProperty("a")[0].GetString()));
            Assert.That(Text(ticker.GetProperty("bid"), "price"), Is.EqualTo(kraken.GetProperty("b")[0].GetString()));
            Assert.That(Text(ticker.GetProperty("lastTrade"), "lotVolume"), Is.EqualTo(kraken.GetProperty("c")[1].GetString()));
            Assert.That(Text(ticker.GetProperty("volume"), "last24Hours"), Is.EqualTo(kraken.GetProperty("v")[1].GetString()));
            Assert.That(Text(ticker.GetProperty("vwap"), "today"), Is.EqualTo(kraken.GetProperty("p")[0].GetString()));
            Assert.That(Text(ticker, "openingPrice"), Is.EqualTo(kraken.GetProperty("o").GetString()));
            // The decimal text travels as a JSON string, never as a number that a reader could round.
            Assert.That(body, Does.Contain($"\"price\":\"{kraken.GetProperty("a")[0].GetString()}\""));
        });
    }

    private static async Task<Status> StatusOfAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        return StatusParser.Parse<Status>(await response.Content.ReadAsStringAsync());
    }

    private static T Detail<T>(Status status)
        where T : class, IMessage<T>, new() =>
        status.Details.Select(d => d.TryUnpack<T>(out var detail) ? detail : null).OfType<T>().SingleOrDefault()
        ?? throw new AssertionException($"No {typeof(T).Name} in {status}");
}
