using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Validation;
using static KrakenGrpc.Server.Mapping.KrakenJson;

namespace KrakenGrpc.Server.Mapping;

/// <summary>
/// OAuthService requests to Kraken Connect parameters (validated first) and answers to response messages. Fast API
/// key bodies are JSON; times Kraken counts in unix seconds (0 = none) become unset Timestamps.
/// </summary>
internal static class OAuthMapping
{
    private const int MaxKeyNameLength = 32;

    // ---- Requests -------------------------------------------------------------------------------------------

    public static KrakenParameters Parameters(GetOAuthAccessTokenRequest request)
    {
        var validation = new RequestValidation();
        switch (request.GrantCase)
        {
            case GetOAuthAccessTokenRequest.GrantOneofCase.AuthorizationCode:
                validation.Required("authorization_code.code", request.AuthorizationCode.Code).ThrowIfInvalid();
                return new KrakenParameters()
                    .Add("grant_type", "authorization_code")
                    .Add("code", request.AuthorizationCode.Code)
                    .Add("redirect_uri", request.AuthorizationCode.RedirectUri);
            case GetOAuthAccessTokenRequest.GrantOneofCase.RefreshToken:
                validation.Required("refresh_token.refresh_token", request.RefreshToken.RefreshToken).ThrowIfInvalid();
                return new KrakenParameters()
                    .Add("grant_type", "refresh_token")
                    .Add("refresh_token", request.RefreshToken.RefreshToken);
            default:
                throw RequestValidation.Refusal("grant", "must be authorization_code or refresh_token");
        }
    }

    public static KrakenParameters Parameters(CreateOAuthFastApiKeyRequest request)
    {
        new RequestValidation()
            .Length("api_key_name", request.ApiKeyName, 1, MaxKeyNameLength)
            .ListEntries("ip_allowlist", request.IpAllowlist)
            .InRange("nonce_window", request.HasNonceWindow ? (int)Math.Clamp(request.NonceWindow, -1, int.MaxValue) : null, 0, int.MaxValue)
            .ThrowIfInvalid();
        return new KrakenParameters()
            .Add("api_key_name", request.ApiKeyName)
            .Add("ip_allowlist", request.IpAllowlist)
            .Add("nonce_window", request.HasNonceWindow ? request.NonceWindow : null)
            .Add("permissions", Permissions(request.Permissions))
            .Add("query_from", Seconds(request.QueryFrom))
            .Add("query_to", Seconds(request.QueryTo))
            .Add("valid_until", Seconds(request.ValidUntil));
    }

    public static KrakenParameters Parameters(UpdateOAuthFastApiKeyRequest request)
    {
        new RequestValidation()
            .Required("api_key_name", request.ApiKeyName)
            .Length("api_key_name", request.ApiKeyName, 1, MaxKeyNameLength)
            .Length("new_api_key_name", request.NewApiKeyName, 1, MaxKeyNameLength)
            // Set but empty would not be sent at all, and Kraken would answer "updated" with the old name kept.
            .Check(!request.HasNewApiKeyName || request.NewApiKeyName.Length > 0, "new_api_key_name",
                $"must be 1 to {MaxKeyNameLength} characters long, was empty (leave it unset to keep the name)")
            .ListEntries("ip_allowlist.entries", request.IpAllowlist?.Entries ?? [])
            .InRange("nonce_window", request.HasNonceWindow ? (int)Math.Clamp(request.NonceWindow, -1, int.MaxValue) : null, 0, int.MaxValue)
            .ThrowIfInvalid();
        var parameters = new KrakenParameters()
            .Add("api_key_name", request.ApiKeyName)
            .Add("new_api_key_name", request.HasNewApiKeyName ? request.NewApiKeyName : null);
        if (request.IpAllowlist is { } allowlist)
        {
            // Present but empty clears the allowlist; absent leaves it unchanged.
            parameters.AddEvenIfEmpty("ip_allowlist", allowlist.Entries);
        }
        return parameters
            .Add("nonce_window", request.HasNonceWindow ? request.NonceWindow : null)
            .Add("permissions", Permissions(request.Permissions))
            .Add("query_from", Seconds(request.QueryFrom))
            .Add("query_to", Seconds(request.QueryTo))
            .Add("valid_until", Seconds(request.ValidUntil));
    }

    public static KrakenParameters Parameters(DeleteOAuthFastApiKeyRequest request)
    {
        new RequestValidation()
            .Required("api_key_name", request.ApiKeyName)
            .Length("api_key_name", request.ApiKeyName, 1, MaxKeyNameLength)
            .ThrowIfInvalid();
        return new KrakenParameters().Add("api_key_name", request.ApiKeyName);
    }

    private static KrakenParameters? Permissions(FastApiKeyPermissions? permissions) => permissions is null ? null : new KrakenParameters()
        .Add("export_data", permissions.HasExportData ? permissions.ExportData : null)
        .Add("funds_add", permissions.HasFundsAdd ? permissions.FundsAdd : null)
        .Add("funds_earn", permissions.HasFundsEarn ? permissions.FundsEarn : null)
        .Add("funds_query", permissions.HasFundsQuery ? permissions.FundsQuery : null)
        .Add("funds_withdraw", permissions.HasFundsWithdraw ? permissions.FundsWithdraw : null)
        .Add("ledger_query", permissions.HasLedgerQuery ? permissions.LedgerQuery : null)
        .Add("trades_close", permissions.HasTradesClose ? permissions.TradesClose : null)
        .Add("trades_modify", permissions.HasTradesModify ? permissions.TradesModify : null)
        .Add("trades_query_closed", permissions.HasTradesQueryClosed ? permissions.TradesQueryClosed : null)
        .Add("trades_query_open", permissions.HasTradesQueryOpen ? permissions.TradesQueryOpen : null);

    // Kraken counts these limits in unix seconds; the Unix epoch itself means "none" and is sent as 0.
    private static long? Seconds(Timestamp? time) => time?.Seconds;

    // ---- Results --------------------------------------------------------------------------------------------

    public static GetOAuthAccessTokenResponse ToAccessToken(JsonElement result) => new()
    {
        AccessToken = Text(result, "access_token"),
        TokenType = Text(result, "token_type"),
        ExpiresIn = Duration.FromTimeSpan(TimeSpan.FromSeconds(Long(result, "expires_in"))),
        RefreshToken = Text(result, "refresh_token"),
    };

    public static GetOAuthUserInfoResponse ToUserInfo(JsonElement result) => new()
    {
        Email = Text(result, "email"),
        Iiban = Text(result, "iban"),
    };

    public static CreateOAuthFastApiKeyResponse ToCreatedKey(JsonElement result) => new()
    {
        Secret = Text(result, "secret"),
        Key = ToKeyInfo(result),
    };

    public static UpdateOAuthFastApiKeyResponse ToUpdated(JsonElement result) => new() { Updated = result.ValueKind == JsonValueKind.True };

    public static DeleteOAuthFastApiKeyResponse ToDeleted(JsonElement result) => new() { Deleted = result.ValueKind == JsonValueKind.True };

    public static ListOAuthFastApiKeysResponse ToKeys(JsonElement result)
    {
        var response = new ListOAuthFastApiKeysResponse();
        if (result.ValueKind == JsonValueKind.Array)
        {
            response.Keys.AddRange(result.EnumerateArray().Select(ToKeyInfo));
        }
        return response;
    }

    private static FastApiKeyInfo ToKeyInfo(JsonElement key)
    {
        var info = new FastApiKeyInfo
        {
            ApiKey = Text(key, "api_key"),
            ApiKeyName = Text(key, "api_key_name"),
            Id = Text(key, "id"),
            CreateTime = AnyTime(key, "created_time"),
            ModifyTime = AnyTime(key, "modified_time"),
            LastUseTime = UnixSeconds(key, "last_used"),
            Nonce = Long(key, "nonce"),
            NonceWindow = Long(key, "nonce_window"),
            OauthClient = Text(key, "oauth_client"),
            Purpose = Text(key, "purpose"),
            QueryFrom = UnixSeconds(key, "query_from"),
            QueryTo = UnixSeconds(key, "query_to"),
            ValidUntil = UnixSeconds(key, "valid_until"),
        };
        info.IpAllowlist.AddRange(Words(key, "ip_allowlist"));
        if (key.TryGetProperty("permissions", out var permissions) && permissions.ValueKind == JsonValueKind.Object)
        {
            // Optional fields: a permission Kraken did not send stays unset rather than reading as false.
            var mapped = new FastApiKeyPermissions();
            void Read(string name, Action<bool> set)
            {
                if (permissions.TryGetProperty(name, out _))
                {
                    set(Flag(permissions, name));
                }
            }
            Read("export_data", value => mapped.ExportData = value);
            Read("funds_add", value => mapped.FundsAdd = value);
            Read("funds_earn", value => mapped.FundsEarn = value);
            Read("funds_query", value => mapped.FundsQuery = value);
            Read("funds_withdraw", value => mapped.FundsWithdraw = value);
            Read("ledger_query", value => mapped.LedgerQuery = value);
            Read("trades_close", value => mapped.TradesClose = value);
            Read("trades_modify", value => mapped.TradesModify = value);
            Read("trades_query_closed", value => mapped.TradesQueryClosed = value);
            Read("trades_query_open", value => mapped.TradesQueryOpen = value);
            info.Permissions = mapped;
        }
        return info;
    }
}
