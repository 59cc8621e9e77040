using System.Collections.Concurrent;
using System.Net.Http.Json;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using KrakenGrpc.Emulator;
using KrakenGrpc.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KrakenGrpc.Client.Tests.Support;

/// <summary>
/// The gateway as a user starts it (<c>--sandbox</c>, so with its embedded emulator and paper account) on Kestrel
/// over loopback. It also records the metadata each call arrived with, and drives the emulator through its
/// <c>/_emulator/</c> control endpoints, as an out-of-process user would.
/// </summary>
public sealed class SandboxGateway : IAsyncDisposable
{
    /// <summary>A gateway account configured with the sandbox's paper key, so calls can name an account that exists.</summary>
    public const string PaperAccount = "paper";

    private readonly WebApplication _app;
    private readonly HttpClient _emulator;

    private SandboxGateway(WebApplication app, Uri address, Uri emulator, ArrivedMetadata arrived)
    {
        _app = app;
        Address = address;
        Arrived = arrived;
        _emulator = new HttpClient { BaseAddress = emulator };
    }

    public Uri Address { get; }

    /// <summary>The request metadata of the latest call to each method, as the gateway received it.</summary>
    public ArrivedMetadata Arrived { get; }

    public static async Task<SandboxGateway> StartAsync()
    {
        var arrived = new ArrivedMetadata();
        string[] args =
        [
            "--sandbox",
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            // No metrics address: it would collide with a developer's gateway on the default one.
            "--Metrics:Url=",
            $"--Kraken:Accounts:{PaperAccount}:ApiKey={EmulatedAccountOptions.SandboxApiKey}",
            $"--Kraken:Accounts:{PaperAccount}:ApiSecret={EmulatedAccountOptions.SandboxApiSecret}",
        ];
        var app = await GatewayApplication.CreateAsync(args, builder =>
        {
            builder.Services.AddSingleton(arrived);
            builder.Services.Configure<GrpcServiceOptions>(grpc => grpc.Interceptors.Add<ArrivedMetadata>());
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        // --sandbox points Kraken:BaseUrl at the emulator it started.
        var emulator = new Uri(app.Configuration["Kraken:BaseUrl"] ?? throw new InvalidOperationException("The sandbox set no Kraken:BaseUrl."));
        return new SandboxGateway(app, new Uri(address), emulator, arrived);
    }

    /// <summary>The emulator answers the next request to <paramref name="path"/> with Kraken's <paramref name="error"/> envelope.</summary>
    public Task InjectKrakenErrorAsync(string path, string error) => InjectFaultAsync(new { path, kind = "error", error });

    /// <summary>The emulator answers the next request to <paramref name="path"/> with HTTP <paramref name="status"/>, carrying nothing out.</summary>
    public Task InjectHttpStatusAsync(string path, int status) => InjectFaultAsync(new { path, kind = "status", status });

    /// <summary>The emulator carries out the next request to <paramref name="path"/>, then answers HTTP 500 instead of the result.</summary>
    public Task InjectLostAnswerAsync(string path) => InjectFaultAsync(new { path, kind = "lost" });

    private async Task InjectFaultAsync(object fault)
    {
        using var response = await _emulator.PostAsJsonAsync(new Uri("/_emulator/faults", UriKind.Relative), fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await _emulator.DeleteAsync(new Uri("/_emulator/faults", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _emulator.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A server interceptor keeping the request metadata of each method's latest call.</summary>
    public sealed class ArrivedMetadata : Interceptor
    {
        private readonly ConcurrentDictionary<string, Metadata> _latest = new(StringComparer.Ordinal);

        /// <summary>The value of <paramref name="key"/> in the latest call to <paramref name="method"/> (e.g. "/kraken.spot.v1.AccountService/GetAccountBalance").</summary>
        public string? Header(string method, string key) => _latest.TryGetValue(method, out var headers) ? headers.GetValue(key) : null;

        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
            TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            _latest[context.Method] = context.RequestHeaders;
            return continuation(request, context);
        }

        public override Task ServerStreamingServerHandler<TRequest, TResponse>(
            TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            _latest[context.Method] = context.RequestHeaders;
            return continuation(request, responseStream, context);
        }
    }
}
