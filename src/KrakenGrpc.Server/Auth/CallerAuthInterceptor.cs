using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Server.Services;
using Microsoft.Extensions.Options;

namespace KrakenGrpc.Server.Auth;

/// <summary>
/// Checks the caller's gateway token before any RPC of the Kraken services runs (health and reflection stay open):
/// no token or an unknown one is UNAUTHENTICATED, a token naming an account it may not use is PERMISSION_DENIED.
/// Tokens are compared as SHA-256 digests in constant time, and only their names ever reach a log or a status.
/// </summary>
internal sealed partial class CallerAuthInterceptor : Interceptor
{
    private const string KrakenServicesPrefix = "/kraken.spot.v1.";
    private const string MarketDataPrefix = "/kraken.spot.v1.MarketDataService/";

    // The one market-data RPC Kraken serves only to a signed call: it spends an account's key and rate budget.
    private const string SignedMarketDataMethod = "/kraken.spot.v1.MarketDataService/GetLevel3";
    private const string BearerScheme = "Bearer ";

    private readonly (string Name, byte[] Digest, HashSet<string> Accounts)[] _tokens;
    private readonly bool _marketDataOpen;
    private readonly ILogger<CallerAuthInterceptor> _logger;

    public CallerAuthInterceptor(IOptions<CallerAuthOptions> options, ILogger<CallerAuthInterceptor> logger)
    {
        _tokens = options.Value.Tokens
            .Select(t => (t.Key, Digest(t.Value.Token.Trim()), t.Value.Accounts.ToHashSet(StringComparer.Ordinal)))
            .ToArray();
        _marketDataOpen = options.Value.MarketDataOpen;
        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (_tokens.Length == 0
            || !context.Method.StartsWith(KrakenServicesPrefix, StringComparison.Ordinal)
            || (_marketDataOpen && context.Method.StartsWith(MarketDataPrefix, StringComparison.Ordinal) && context.Method != SignedMarketDataMethod))
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase) || header.Length == BearerScheme.Length)
        {
            throw new KrakenException(KrakenErrorTable.GatewayTokenMissing, string.Empty,
                $"{context.Method} needs a gateway token: send the metadata 'authorization: Bearer <token>'.");
        }

        var presented = Digest(header[BearerScheme.Length..].Trim());
        var holder = Array.Find(_tokens, t => CryptographicOperations.FixedTimeEquals(t.Digest, presented));
        if (holder.Name is null)
        {
            LogRefused(_logger, context.Method, context.Peer);
            throw new KrakenException(KrakenErrorTable.GatewayTokenInvalid, string.Empty, "The gateway token is not valid.");
        }

        var account = context.RequestHeaders.GetValue(KrakenCalls.AccountHeader) is { Length: > 0 } named ? named.Trim() : KrakenAccounts.DefaultName;
        if (!holder.Accounts.Contains("*") && !holder.Accounts.Contains(account))
        {
            throw new KrakenException(KrakenErrorTable.AccountNotAllowed, string.Empty,
                $"The gateway token '{holder.Name}' may not use account '{account}' (Auth:Tokens:{holder.Name}:Accounts).",
                details: new Dictionary<string, string> { ["token"] = holder.Name, ["account"] = account });
        }
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "{Method} refused: the caller at {Peer} presented an unknown gateway token")]
    private static partial void LogRefused(ILogger logger, string method, string peer);
}
