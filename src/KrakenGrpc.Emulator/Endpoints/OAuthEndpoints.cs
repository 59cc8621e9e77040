using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using KrakenGrpc.Emulator.Accounts;
using KrakenGrpc.Emulator.Auth;
using KrakenGrpc.Emulator.Json;
using KrakenGrpc.Emulator.OAuth;
using KrakenGrpc.Emulator.Trading;
using Microsoft.AspNetCore.Http;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// Kraken Connect on the API host (api-reference.md "OAuth (Kraken Connect)", "OAuth Fast API keys"; protocol.md §10):
/// <list type="bullet">
/// <item><c>POST /oauth/token</c>: HTTP Basic client authentication, form body, grant_type authorization_code or
/// refresh_token; answers RFC 6749 JSON (the spec's form-encoded response is UNCONFIRMED; standard OAuth is JSON).</item>
/// <item><c>GET /oauth/userinfo</c>: Bearer with <c>account.info:basic</c>; <c>{"result":{"email","iban"}}</c>.</item>
/// <item><c>/oauth/fast-api-key</c>: POST creates, PUT changes, DELETE deletes (JSON bodies), GET lists; Bearer with
/// <c>account.fast-api-key:write</c> / <c>:read</c>. A created key is a real emulator API key.</item>
/// </list>
/// The reference documents no error bodies here, so errors are RFC 6749 §5.2 / RFC 6750 §3.1 JSON,
/// <c>{"error":"invalid_grant","error_description":"..."}</c>: 400 for request errors, 401 (with WWW-Authenticate)
/// for bad client credentials or a missing, unknown or expired token, 403 <c>insufficient_scope</c> for a missing
/// scope (UNCONFIRMED against Kraken).
/// </summary>
internal sealed class OAuthEndpoints(EmulatedOAuth oauth, AccountRegistry accounts, EmulatedMarket market, TimeProvider clock)
{
    private const string JsonContentType = "application/json; charset=utf-8";
    private const int MaxKeyNameLength = 32;

    /// <summary>A Fast API key's permissions: the OAuth field, Kraken's permission name, and the scope granting it.</summary>
    private static readonly (string Field, string Permission, string Scope)[] PermissionFields =
    [
        ("export_data", KeyPermissions.ExportData, "account.fast-api-key:export-data"),
        ("funds_add", KeyPermissions.AddFunds, "account.fast-api-key:funds-add"),
        ("funds_earn", KeyPermissions.EarnFunds, "account.fast-api-key:funds-earn"),
        ("funds_query", KeyPermissions.QueryFunds, "account.fast-api-key:funds-query"),
        ("funds_withdraw", KeyPermissions.WithdrawFunds, "account.fast-api-key:funds-withdraw"),
        ("ledger_query", KeyPermissions.QueryLedger, "account.fast-api-key:ledger-query"),
        ("trades_close", KeyPermissions.CloseTrades, "account.fast-api-key:trades-close"),
        ("trades_modify", KeyPermissions.ModifyTrades, "account.fast-api-key:trades-modify"),
        ("trades_query_closed", KeyPermissions.QueryClosedTrades, "account.fast-api-key:trades-query-closed"),
        ("trades_query_open", KeyPermissions.QueryOpenTrades, "account.fast-api-key:trades-query-open"),
    ];

    private static readonly KeyValuePair<string, string>[] NoStore =
    [
        new("Cache-Control", "no-store"),
        new("Pragma", "no-cache"),
    ];

    public void Register(EndpointTable table)
    {
        table.Map("/oauth/token", Token, HttpMethods.Post);
        table.Map("/oauth/userinfo", UserInfo, HttpMethods.Get);
        table.Map("/oauth/fast-api-key", FastApiKey, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Get);
    }

    // ------------------------------------------------------------------ token

    private EndpointResponse Token(EmulatorRequest request)
    {
        lock (market.Gate)
        {
            var client = oauth.AuthenticateClient(request.Headers.Authorization.ToString());
            if (client is null)
            {
                return Error(StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed: send Authorization: Basic base64(client_id:client_secret).",
                    [new("WWW-Authenticate", "Basic realm=\"kraken\"")]);
            }

            var parameters = request.Parameters;
            OAuthGrant? grant;
            string? refusal;
            switch (parameters.NonEmpty("grant_type"))
            {
                case null:
                    return Error(StatusCodes.Status400BadRequest, "invalid_request", "grant_type is required.");
                case "authorization_code":
                    if (parameters.NonEmpty("code") is not { } code)
                    {
                        return Error(StatusCodes.Status400BadRequest, "invalid_request", "code is required.");
                    }

                    grant = oauth.ExchangeCode(client, code, parameters["redirect_uri"], out refusal);
                    break;
                case "refresh_token":
                    if (parameters.NonEmpty("refresh_token") is not { } refreshToken)
                    {
                        return Error(StatusCodes.Status400BadRequest, "invalid_request", "refresh_token is required.");
                    }

                    grant = oauth.Refresh(client, refreshToken, out refusal);
                    break;
                default:
                    return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
            }

            if (grant is null)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_grant", refusal ?? "The grant was refused.");
            }

            var lifetime = (long)EmulatedOAuth.AccessTokenLifetime(client).TotalSeconds;
            return Json(StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteString("access_token", grant.AccessToken);
                w.WriteString("token_type", "bearer");
                w.WriteNumber("expires_in", lifetime);
                w.WriteString("refresh_token", grant.RefreshToken);
                w.WriteEndObject();
            }, NoStore);
        }
    }

    // ------------------------------------------------------------------ userinfo

    private EndpointResponse UserInfo(EmulatorRequest request)
    {
        lock (market.Gate)
        {
            if (!TryBearer(request, EmulatedOAuth.UserInfoScope, out var grant, out var refused))
            {
                return refused;
            }

            var account = grant!.Account;
            return Result(w =>
            {
                w.WriteStartObject();
                w.WriteString("email", account.Email);
                w.WriteString("iban", account.Iiban);
                w.WriteEndObject();
            });
        }
    }

    // ------------------------------------------------------------------ Fast API keys

    private EndpointResponse FastApiKey(EmulatorRequest request)
    {
        lock (market.Gate)
        {
            var list = request.Method.Equals(HttpMethods.Get, StringComparison.OrdinalIgnoreCase);
            var scope = list ? EmulatedOAuth.FastApiKeyReadScope : EmulatedOAuth.FastApiKeyWriteScope;
            if (!TryBearer(request, scope, out var grant, out var refused))
            {
                return refused;
            }

            if (list)
            {
                return ListKeys(grant!);
            }

            if (!TryBody(request, out var body, out var problem))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_request", problem!);
            }

            using (body)
            {
                var root = body!.RootElement;
                return request.Method.ToUpperInvariant() switch
                {
                    "POST" => CreateKey(grant!, root),
                    "PUT" => UpdateKey(grant!, root),
                    _ => DeleteKey(grant!, root),
                };
            }
        }
    }

    private static EndpointResponse ListKeys(OAuthGrant grant)
    {
        var keys = OwnKeys(grant).ToArray();
        return Result(w =>
        {
            w.WriteStartArray();
            foreach (var key in keys)
            {
                WriteKeyInfo(w, key, secret: null);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// A new key on the token's account. Each permission asked for needs its <c>account.fast-api-key:&lt;permission&gt;</c>
    /// scope; without a permissions object the key gets every permission the token's scopes allow (emulator's choice).
    /// The answer is the only place the secret ever appears.
    /// </summary>
    private EndpointResponse CreateKey(OAuthGrant grant, JsonElement body)
    {
        var account = grant.Account;
        var name = Text(body, "api_key_name");
        if (name is not null && (name.Length is 0 or > MaxKeyNameLength))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", $"api_key_name must have 1 to {MaxKeyNameLength} characters.");
        }

        if (name is not null && account.FastApiKeys.Any(k => k.Name == name))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", $"A Fast API key named '{name}' already exists.");
        }

        name ??= Enumerable.Range(1, int.MaxValue).Select(i => "fast-api-key-" + i.ToString(CultureInfo.InvariantCulture)).First(n => account.FastApiKeys.All(k => k.Name != n));
        HashSet<string> permissions;
        if (body.TryGetProperty("permissions", out var asked) && asked.ValueKind != JsonValueKind.Null)
        {
            permissions = new HashSet<string>(StringComparer.Ordinal);
            if (ApplyPermissions(grant, asked, permissions) is { } refused)
            {
                return refused;
            }
        }
        else
        {
            permissions = PermissionFields.Where(p => grant.Scopes.Contains(p.Scope)).Select(p => p.Permission).ToHashSet(StringComparer.Ordinal);
        }

        // No flag covers WebSocket tokens in the Fast API key permissions; the emulator grants it (UNCONFIRMED).
        permissions.Add(KeyPermissions.CreateWebSocketToken);
        if (!TryNumber(body, "nonce_window", out var nonceWindow, out var problem)
            || !TryNumber(body, "query_from", out var queryFrom, out problem)
            || !TryNumber(body, "query_to", out var queryTo, out problem)
            || !TryNumber(body, "valid_until", out var validUntil, out problem)
            || !TryAllowlist(body, out var allowlist, out problem))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", problem!);
        }

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        string apiKey;
        do
        {
            // Kraken's keys are 56 characters of base64 (42 bytes).
            apiKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(42));
        }
        while (accounts.IsKeyTaken(apiKey));

        var secret = RandomNumberGenerator.GetBytes(64);
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new FastApiKey(
            account,
            apiKey,
            secret,
            name,
            new NonceTracker(nonceWindow ?? 0),
            new DecayingCounter(account.Tier.RestMaximum, account.Tier.RestDecayPerSecond, clock),
            now,
            id,
            grant.Client.ClientId)
        {
            Permissions = permissions,
            QueryFrom = queryFrom ?? 0,
            QueryTo = queryTo ?? 0,
            ValidUntil = validUntil ?? 0,
            IpAllowlist = allowlist ?? [],
        };
        accounts.AddFastApiKey(key);
        return Result(w => WriteKeyInfo(w, key, Convert.ToBase64String(secret)));
    }

    /// <summary>Changes the key named <c>api_key_name</c>; members left out keep their values, null clears a limit.</summary>
    private EndpointResponse UpdateKey(OAuthGrant grant, JsonElement body)
    {
        if (!TryOwnKey(grant, body, out var key, out var refused))
        {
            return refused;
        }

        var newName = Text(body, "new_api_key_name");
        if (newName is not null)
        {
            if (newName.Length is 0 or > MaxKeyNameLength)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_request", $"new_api_key_name must have 1 to {MaxKeyNameLength} characters.");
            }

            if (key!.Account.FastApiKeys.Any(k => k != key && k.Name == newName))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_request", $"A Fast API key named '{newName}' already exists.");
            }
        }

        if (!TryNumber(body, "nonce_window", out var nonceWindow, out var problem)
            || !TryNumber(body, "query_from", out var queryFrom, out problem)
            || !TryNumber(body, "query_to", out var queryTo, out problem)
            || !TryNumber(body, "valid_until", out var validUntil, out problem)
            || !TryAllowlist(body, out var allowlist, out problem))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", problem!);
        }

        // Check every requested permission before changing anything: an update is all or nothing.
        var permissions = new HashSet<string>(key!.Permissions ?? [], StringComparer.Ordinal);
        if (body.TryGetProperty("permissions", out var asked) && asked.ValueKind != JsonValueKind.Null
            && ApplyPermissions(grant, asked, permissions) is { } denied)
        {
            return denied;
        }

        key.Permissions = permissions;
        key.Name = newName ?? key.Name;
        if (nonceWindow is { } window)
        {
            key.Nonces.ChangeWindow(window);
        }

        if (Present(body, "query_from"))
        {
            key.QueryFrom = queryFrom ?? 0;
        }

        if (Present(body, "query_to"))
        {
            key.QueryTo = queryTo ?? 0;
        }

        if (Present(body, "valid_until"))
        {
            key.ValidUntil = validUntil ?? 0;
        }

        if (allowlist is not null)
        {
            key.IpAllowlist = allowlist;
        }

        key.ModifiedSeconds = clock.GetUtcNow().ToUnixTimeSeconds();
        return Result(w => w.WriteBooleanValue(true));
    }

    /// <summary>Deletes the key named <c>api_key_name</c>: its next private call answers EAPI:Invalid key.</summary>
    private EndpointResponse DeleteKey(OAuthGrant grant, JsonElement body)
    {
        if (!TryOwnKey(grant, body, out var key, out var refused))
        {
            return refused;
        }

        accounts.RemoveFastApiKey(key!);
        return Result(w => w.WriteBooleanValue(true));
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The keys this client made on the token's account: an application sees and manages only its own (emulator's choice).</summary>
    private static IEnumerable<FastApiKey> OwnKeys(OAuthGrant grant) =>
        grant.Account.FastApiKeys.Where(k => k.OAuthClient == grant.Client.ClientId);

    private static bool TryOwnKey(OAuthGrant grant, JsonElement body, out FastApiKey? key, out EndpointResponse refused)
    {
        refused = default;
        key = null;
        var name = Text(body, "api_key_name");
        if (name is null)
        {
            refused = Error(StatusCodes.Status400BadRequest, "invalid_request", "api_key_name is required.");
            return false;
        }

        key = OwnKeys(grant).FirstOrDefault(k => k.Name == name);
        if (key is null)
        {
            refused = Error(StatusCodes.Status400BadRequest, "invalid_request", $"No Fast API key named '{name}'.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Applies a permissions object (booleans by OAuth field name) to <paramref name="permissions"/>; a permission
    /// turned on needs its scope. Null when applied, else the refusal (400 for a malformed object, 403 for a scope).
    /// </summary>
    private static EndpointResponse? ApplyPermissions(OAuthGrant grant, JsonElement asked, HashSet<string> permissions)
    {
        if (asked.ValueKind != JsonValueKind.Object)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "permissions must be an object of booleans.");
        }

        var changes = new List<(string Permission, bool On)>();
        foreach (var member in asked.EnumerateObject())
        {
            var field = PermissionFields.FirstOrDefault(p => p.Field == member.Name);
            if (field.Field is null)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_request", $"Unknown permission '{member.Name}'.");
            }

            if (member.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_request", $"permissions.{member.Name} must be a boolean.");
            }

            var on = member.Value.ValueKind == JsonValueKind.True;
            if (on && !grant.Scopes.Contains(field.Scope))
            {
                return InsufficientScope(field.Scope);
            }

            changes.Add((field.Permission, on));
        }

        foreach (var (permission, on) in changes)
        {
            if (on)
            {
                permissions.Add(permission);
            }
            else
            {
                permissions.Remove(permission);
            }
        }

        return null;
    }

    /// <summary>
    /// The Bearer token of the request, current and unexpired, with <paramref name="scope"/>; else the RFC 6750
    /// answer: 401 invalid_token (missing, unknown, replaced or expired) or 403 insufficient_scope.
    /// </summary>
    private bool TryBearer(EmulatorRequest request, string scope, out OAuthGrant? grant, out EndpointResponse refused)
    {
        refused = default;
        grant = null;
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            refused = InvalidToken("A Bearer access token is required.");
            return false;
        }

        grant = oauth.FindAccessToken(authorization[7..].Trim());
        if (grant is null)
        {
            refused = InvalidToken("The access token is unknown, was replaced by a newer one, or has expired.");
            return false;
        }

        if (!grant.Scopes.Contains(scope))
        {
            refused = InsufficientScope(scope);
            return false;
        }

        return true;
    }

    private static EndpointResponse InvalidToken(string description) =>
        Error(StatusCodes.Status401Unauthorized, "invalid_token", description,
            [new("WWW-Authenticate", $"Bearer realm=\"kraken\", error=\"invalid_token\", error_description=\"{description}\"")]);

    private static EndpointResponse InsufficientScope(string scope) =>
        Error(StatusCodes.Status403Forbidden, "insufficient_scope", $"The access token lacks the scope {scope}.",
            [new("WWW-Authenticate", $"Bearer realm=\"kraken\", error=\"insufficient_scope\", scope=\"{scope}\"")]);

    /// <summary>
    /// The request's members as one JSON object: the JSON body (the documented encoding), or, for a form body or a
    /// query string, the parameters with <c>permissions[x]</c> nested, booleans and numbers typed, and
    /// <c>ip_allowlist</c> split at commas.
    /// </summary>
    private static bool TryBody(EmulatorRequest request, out JsonDocument? body, out string? problem)
    {
        body = null;
        problem = null;
        var contentType = request.Headers.ContentType.ToString();
        if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && request.Body.Length > 0)
        {
            try
            {
                body = JsonDocument.Parse(request.Body);
            }
            catch (JsonException)
            {
                problem = "The body is not valid JSON.";
                return false;
            }

            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                body.Dispose();
                body = null;
                problem = "The body must be a JSON object.";
                return false;
            }

            return true;
        }

        var root = new JsonObject();
        var permissions = new JsonObject();
        foreach (var (name, value) in request.Parameters.Values)
        {
            if (name.StartsWith("permissions[", StringComparison.Ordinal) && name.EndsWith(']'))
            {
                permissions[name["permissions[".Length..^1]] = FormValue(value);
            }
            else if (name == "ip_allowlist")
            {
                root[name] = new JsonArray(RequestParameters.SplitList(value).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }
            else
            {
                root[name] = FormValue(value);
            }
        }

        if (permissions.Count > 0)
        {
            root["permissions"] = permissions;
        }

        body = JsonDocument.Parse(root.ToJsonString());
        return true;
    }

    private static JsonValue? FormValue(string value) =>
        value is "true" or "false" ? JsonValue.Create(value == "true")
        : value == "null" ? null
        : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number)
        : JsonValue.Create(value);

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Present(JsonElement body, string name) => body.TryGetProperty(name, out _);

    /// <summary>An optional non-negative whole number (null when absent or null); false with a problem otherwise.</summary>
    private static bool TryNumber(JsonElement body, string name, out long? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number) && number >= 0)
        {
            value = number;
            return true;
        }

        problem = $"{name} must be a non-negative whole number.";
        return false;
    }

    /// <summary>An optional list of IP addresses or CIDR ranges (null when absent).</summary>
    private static bool TryAllowlist(JsonElement body, out List<string>? allowlist, out string? problem)
    {
        allowlist = null;
        problem = null;
        if (!body.TryGetProperty("ip_allowlist", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = "ip_allowlist must be a list of IP addresses or CIDR ranges.";
            return false;
        }

        allowlist = [];
        foreach (var entry in element.EnumerateArray())
        {
            var text = entry.ValueKind == JsonValueKind.String ? entry.GetString() ?? string.Empty : string.Empty;
            if (!IPNetwork.TryParse(text, out _) && !IPAddress.TryParse(text, out _))
            {
                problem = $"'{text}' in ip_allowlist is not an IP address or CIDR range.";
                return false;
            }

            allowlist.Add(text);
        }

        return true;
    }

    /// <summary>
    /// Kraken's APIKeyInfo, in the order of the reference's field list (secret only on creation). Times: created and
    /// modified as unix-second strings (as GetApiKeyInfo writes them), the others as numbers with 0 for "none".
    /// </summary>
    private static void WriteKeyInfo(Utf8JsonWriter w, FastApiKey key, string? secret)
    {
        w.WriteStartObject();
        if (secret is not null)
        {
            w.WriteString("secret", secret);
        }

        w.WriteString("api_key", key.Key);
        w.WriteString("api_key_name", key.Name);
        w.WriteString("id", key.Id);
        w.WriteString("created_time", key.CreatedSeconds.ToString(CultureInfo.InvariantCulture));
        w.WriteString("modified_time", key.ModifiedSeconds.ToString(CultureInfo.InvariantCulture));
        w.WriteStartArray("ip_allowlist");
        foreach (var entry in key.IpAllowlist)
        {
            w.WriteStringValue(entry);
        }

        w.WriteEndArray();
        w.WriteNumber("last_used", key.LastUsedSeconds ?? 0);
        w.WriteNumber("nonce", key.Nonces.Highest);
        w.WriteNumber("nonce_window", key.Nonces.Window);
        w.WriteString("oauth_client", key.OAuthClient);
        w.WriteStartObject("permissions");
        foreach (var (field, permission, _) in PermissionFields)
        {
            w.WriteBoolean(field, key.HasPermission(permission));
        }

        w.WriteEndObject();
        w.WriteString("purpose", Accounts.FastApiKey.Purpose);
        w.WriteNumber("query_from", key.QueryFrom);
        w.WriteNumber("query_to", key.QueryTo);
        w.WriteNumber("valid_until", key.ValidUntil);
        w.WriteEndObject();
    }

    /// <summary>The OAuth API's success envelope: <c>{"result": ...}</c> (no error array, as the reference shows).</summary>
    private static EndpointResponse Result(Action<Utf8JsonWriter> writeResult) => Json(StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("result");
        writeResult(w);
        w.WriteEndObject();
    });

    private static EndpointResponse Error(int status, string error, string description, KeyValuePair<string, string>[]? headers = null) =>
        Json(status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteString("error_description", description);
            w.WriteEndObject();
        }, headers is null ? NoStore : [.. NoStore, .. headers]);

    private static EndpointResponse Json(int status, Action<Utf8JsonWriter> write, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(status, KrakenJson.Document(write), JsonContentType, headers);
}
