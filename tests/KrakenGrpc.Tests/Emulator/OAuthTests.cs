using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KrakenGrpc.Emulator;
using KrakenGrpc.Tests.Emulator.Private;
using Microsoft.Extensions.Time.Testing;

namespace KrakenGrpc.Tests.Emulator;

/// <summary>
/// Kraken Connect on the emulator: an authorization code (from <see cref="EmulatedOAuth.IssueAuthorizationCode"/>)
/// exchanged at /oauth/token with HTTP Basic client credentials; userinfo with the Bearer token; refresh rotating both
/// tokens; scopes enforced; Fast API keys that are real API keys on /0/private/*.
/// </summary>
[TestFixture]
public sealed class OAuthTests
{
    private const string Key = "oauth-account-key";
    private const string Secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
    private const string ClientId = "my-app";
    private const string ClientSecret = "my-app-secret";
    private const string PublicClientId = "my-public-app";
    private const string RedirectUri = "https://app.example/callback";

    private static readonly string[] AllScopes = [.. EmulatedOAuth.KnownScopes];

    private KrakenEmulator _kraken = null!;
    private HttpClient _http = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task StartEmulator()
    {
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan, TimeProvider = _clock, EnforceRateLimits = false };
        options.Accounts.Add(new EmulatedAccountOptions(Key, Secret)
        {
            Name = "alice",
            Email = "alice@example.com",
            Balances = new Dictionary<string, decimal> { ["ZUSD"] = 1_000m, ["XXBT"] = 1m },
        });
        options.OAuthClients.Add(new EmulatedOAuthClient(ClientId, ClientSecret));
        options.OAuthClients.Add(new EmulatedOAuthClient(PublicClientId, string.Empty));
        _kraken = await KrakenEmulator.StartAsync(options);
        _http = new HttpClient { BaseAddress = _kraken.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    [TearDown]
    public async Task StopEmulator()
    {
        _http?.Dispose();
        if (_kraken is not null)
        {
            await _kraken.DisposeAsync();
        }
    }

    [Test]
    public async Task Code_Token_UserInfo()
    {
        var code = _kraken.OAuth.IssueAuthorizationCode(ClientId, Key, [EmulatedOAuth.UserInfoScope], RedirectUri);
        var (status, token, headers) = await TokenAsync(ClientId, ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));
        var (infoStatus, info) = await SendAsync(HttpMethod.Get, "oauth/userinfo", token.GetProperty("access_token").GetString());
        var account = _kraken.Accounts.Get(Key);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(token.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "access_token", "token_type", "expires_in", "refresh_token" }));
            Assert.That(token.GetProperty("token_type").GetString(), Is.EqualTo("bearer"));
            Assert.That(token.GetProperty("expires_in").GetInt64(), Is.EqualTo(86_400));
            Assert.That(token.GetProperty("refresh_token").GetString(), Is.Not.Empty);
            Assert.That(headers.CacheControl?.NoStore, Is.True);

            Assert.That(infoStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(info.GetRawText(), Is.EqualTo($$$"""{"result":{"email":"alice@example.com","iban":"{{{account.Iiban}}}"}}"""));
            Assert.That(account.Email, Is.EqualTo("alice@example.com"));
        });
    }

    [Test]
    public async Task Code_IsSingleUse_ForItsRedirectUri_AndItsClient()
    {
        var code = _kraken.OAuth.IssueAuthorizationCode(ClientId, Key, [], RedirectUri);
        var wrongRedirect = await TokenAsync(ClientId, ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://evil.example/"));
        var otherClient = await TokenAsync(PublicClientId, string.Empty, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));
        var first = await TokenAsync(ClientId, ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));
        var replay = await TokenAsync(ClientId, ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));

        // A replayed code may have been stolen: what it gave stops working (RFC 6749 §4.1.2).
        var (revoked, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", first.Json.GetProperty("access_token").GetString());

        Assert.Multiple(() =>
        {
            Assert.That((wrongRedirect.Status, Error(wrongRedirect.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
            Assert.That((otherClient.Status, Error(otherClient.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((replay.Status, Error(replay.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
            Assert.That(replay.Json.GetProperty("error_description").GetString(), Does.Contain("already used"));
            Assert.That(revoked, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task Refresh_RotatesBothTokens_AndTheOldOnesStopWorking()
    {
        var first = await ExchangeAsync([EmulatedOAuth.UserInfoScope]);
        var (status, second, _) = await TokenAsync(ClientId, ClientSecret, ("grant_type", "refresh_token"), ("refresh_token", first.GetProperty("refresh_token").GetString()!));
        var (oldAccess, oldBody) = await SendAsync(HttpMethod.Get, "oauth/userinfo", first.GetProperty("access_token").GetString());
        var (newAccess, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", second.GetProperty("access_token").GetString());
        var oldRefresh = await TokenAsync(ClientId, ClientSecret, ("grant_type", "refresh_token"), ("refresh_token", first.GetProperty("refresh_token").GetString()!));
        var otherClient = await TokenAsync(PublicClientId, string.Empty, ("grant_type", "refresh_token"), ("refresh_token", second.GetProperty("refresh_token").GetString()!));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.GetProperty("access_token").GetString(), Is.Not.EqualTo(first.GetProperty("access_token").GetString()));
            Assert.That(second.GetProperty("refresh_token").GetString(), Is.Not.EqualTo(first.GetProperty("refresh_token").GetString()));
            Assert.That(oldAccess, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Error(oldBody), Is.EqualTo("invalid_token"));
            Assert.That(newAccess, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((oldRefresh.Status, Error(oldRefresh.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
            Assert.That((otherClient.Status, Error(otherClient.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_grant")));
        });
    }

    [Test]
    public async Task ANewCodeExchange_InvalidatesThePreviousAccessToken()
    {
        var first = await ExchangeAsync([EmulatedOAuth.UserInfoScope]);
        await ExchangeAsync([EmulatedOAuth.UserInfoScope]);
        var (status, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", first.GetProperty("access_token").GetString());
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AccessTokens_Expire_After24Hours_Or4ForPublicClients()
    {
        var confidential = await ExchangeAsync([EmulatedOAuth.UserInfoScope]);
        var publicCode = _kraken.OAuth.IssueAuthorizationCode(PublicClientId, Key, [EmulatedOAuth.UserInfoScope], RedirectUri);
        var (_, publicToken, _) = await TokenAsync(PublicClientId, string.Empty, ("grant_type", "authorization_code"), ("code", publicCode), ("redirect_uri", RedirectUri));

        _clock.Advance(TimeSpan.FromHours(4));
        var (publicExpired, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", publicToken.GetProperty("access_token").GetString());
        var (confidentialStillValid, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", confidential.GetProperty("access_token").GetString());
        _clock.Advance(TimeSpan.FromHours(20));
        var (confidentialExpired, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", confidential.GetProperty("access_token").GetString());
        var (refreshed, renewed, _) = await TokenAsync(ClientId, ClientSecret, ("grant_type", "refresh_token"), ("refresh_token", confidential.GetProperty("refresh_token").GetString()!));

        Assert.Multiple(() =>
        {
            Assert.That(publicToken.GetProperty("expires_in").GetInt64(), Is.EqualTo(14_400));
            Assert.That(publicExpired, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(confidentialStillValid, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(confidentialExpired, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(refreshed, Is.EqualTo(HttpStatusCode.OK), renewed.ToString);
        });
    }

    [Test]
    public async Task BadClientCredentials_AreRefused_WithInvalidClient()
    {
        var code = _kraken.OAuth.IssueAuthorizationCode(ClientId, Key, [], RedirectUri);
        var wrongSecret = await TokenAsync(ClientId, "guess", ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));
        var unknownClient = await TokenAsync("nobody", ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));

        using var anonymous = new HttpRequestMessage(HttpMethod.Post, new Uri("oauth/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri }),
        };
        using var response = await _http.SendAsync(anonymous);
        var body = await JsonAsync(response);

        // The code survived the refused attempts.
        var good = await TokenAsync(ClientId, ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));
        var unsupported = await TokenAsync(ClientId, ClientSecret, ("grant_type", "password"));

        Assert.Multiple(() =>
        {
            Assert.That((wrongSecret.Status, Error(wrongSecret.Json)), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_client")));
            Assert.That(wrongSecret.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));
            Assert.That((unknownClient.Status, Error(unknownClient.Json)), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_client")));
            Assert.That((response.StatusCode, Error(body)), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_client")));
            Assert.That(good.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((unsupported.Status, Error(unsupported.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "unsupported_grant_type")));
        });
    }

    [Test]
    public async Task Scopes_AreEnforced_AndBadTokensAreUnauthorized()
    {
        var userInfoOnly = (await ExchangeAsync([EmulatedOAuth.UserInfoScope])).GetProperty("access_token").GetString();
        var (create, createBody) = await SendAsync(HttpMethod.Post, "oauth/fast-api-key", userInfoOnly, new JsonObject { ["api_key_name"] = "bot" });
        var (list, _) = await SendAsync(HttpMethod.Get, "oauth/fast-api-key", userInfoOnly);

        var writeOnly = (await ExchangeAsync([EmulatedOAuth.FastApiKeyWriteScope, "account.fast-api-key:funds-query"])).GetProperty("access_token").GetString();
        var (userInfo, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", writeOnly);
        var (withdrawWithoutScope, withdrawBody) = await SendAsync(HttpMethod.Post, "oauth/fast-api-key", writeOnly,
            new JsonObject { ["api_key_name"] = "bot", ["permissions"] = new JsonObject { ["funds_withdraw"] = true } });

        var (missing, missingBody) = await SendAsync(HttpMethod.Get, "oauth/userinfo", null);
        var (unknown, _) = await SendAsync(HttpMethod.Get, "oauth/userinfo", "not-a-token");

        Assert.Multiple(() =>
        {
            Assert.That((create, Error(createBody)), Is.EqualTo((HttpStatusCode.Forbidden, "insufficient_scope")));
            Assert.That(createBody.GetProperty("error_description").GetString(), Does.Contain(EmulatedOAuth.FastApiKeyWriteScope));
            Assert.That(list, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(userInfo, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((withdrawWithoutScope, Error(withdrawBody)), Is.EqualTo((HttpStatusCode.Forbidden, "insufficient_scope")));
            Assert.That((missing, Error(missingBody)), Is.EqualTo((HttpStatusCode.Unauthorized, "invalid_token")));
            Assert.That(unknown, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(_kraken.Accounts.Get(Key).FastApiKeys, Is.Empty);
        });
    }

    [Test]
    public async Task FastApiKey_CreatedOverOAuth_SignsPrivateCalls_WithItsPermissionsAndNonceWindow()
    {
        var token = (await ExchangeAsync(AllScopes)).GetProperty("access_token").GetString();
        var (status, created) = await SendAsync(HttpMethod.Post, "oauth/fast-api-key", token, new JsonObject
        {
            ["api_key_name"] = "trading-bot",
            ["nonce_window"] = 10,
            ["ip_allowlist"] = new JsonArray("10.0.0.0/8"),
            ["permissions"] = new JsonObject { ["funds_query"] = true, ["trades_query_open"] = true },
        });
        var key = created.GetProperty("result");
        var apiKey = key.GetProperty("api_key").GetString()!;
        var secret = key.GetProperty("secret").GetString()!;

        using var http = new HttpClient { BaseAddress = _kraken.BaseAddress };
        var fast = new PrivateClient(http, apiKey, secret);
        var balance = await fast.ResultAsync("Balance");
        var order = await fast.ErrorAsync("AddOrder", ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.001"));
        var info = await fast.ResultAsync("GetApiKeyInfo");

        // Inside the nonce window of 10, a lower, unused nonce is still accepted.
        var high = await fast.PostFormAsync("Balance", 5_000);
        var lower = await fast.PostFormAsync("Balance", 4_995);
        var tooLow = await fast.PostFormAsync("Balance", 4_980);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(key.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "secret", "api_key", "api_key_name", "id", "created_time", "modified_time", "ip_allowlist", "last_used", "nonce",
                "nonce_window", "oauth_client", "permissions", "purpose", "query_from", "query_to", "valid_until",
            }));
            Assert.That(Convert.FromBase64String(secret), Has.Length.EqualTo(64));
            Assert.That(apiKey, Has.Length.EqualTo(56));
            Assert.That(key.GetProperty("oauth_client").GetString(), Is.EqualTo(ClientId));
            Assert.That(key.GetProperty("purpose").GetString(), Is.EqualTo("standard"));
            Assert.That(key.GetProperty("nonce_window").GetInt64(), Is.EqualTo(10));
            Assert.That(key.GetProperty("permissions").GetProperty("funds_query").GetBoolean(), Is.True);
            Assert.That(key.GetProperty("permissions").GetProperty("funds_withdraw").GetBoolean(), Is.False);

            // The account's balance, seen through the new key.
            Assert.That(balance.GetProperty("ZUSD").GetString(), Is.EqualTo("1000.0000"));
            Assert.That(order, Is.EqualTo("EGeneral:Permission denied"));
            Assert.That(info.GetProperty("apiKeyName").GetString(), Is.EqualTo("trading-bot"));
            Assert.That(info.GetProperty("nonceWindow").GetInt64(), Is.EqualTo(10));
            Assert.That(info.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "query-funds", "query-open-trades", "create-ws-token" }));
            Assert.That(PrivateClient.Result("Balance", high).ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(PrivateClient.Result("Balance", lower).ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(PrivateClient.Error("Balance", tooLow), Is.EqualTo("EAPI:Invalid nonce"));
            Assert.That(_kraken.Statistics.For(apiKey).AuthenticatedCalls, Is.EqualTo(5));
            Assert.That(_kraken.Statistics.For(apiKey).InvalidNonces, Is.EqualTo(1));
        });

        var snapshot = _kraken.Accounts.Get(Key).FastApiKeys.Single();
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.ApiKey, Is.EqualTo(apiKey));
            Assert.That(snapshot.Name, Is.EqualTo("trading-bot"));
            Assert.That(snapshot.HighestNonce, Is.EqualTo(5_000UL));
            Assert.That(snapshot.LastUsed, Is.Not.Null);
        });
    }

    [Test]
    public async Task FastApiKey_ListUpdateDelete()
    {
        var token = (await ExchangeAsync(AllScopes)).GetProperty("access_token").GetString();
        var (_, created) = await SendAsync(HttpMethod.Post, "oauth/fast-api-key", token, new JsonObject { ["api_key_name"] = "bot", ["permissions"] = new JsonObject { ["funds_query"] = true } });
        var apiKey = created.GetProperty("result").GetProperty("api_key").GetString()!;
        var fast = new PrivateClient(_http, apiKey, created.GetProperty("result").GetProperty("secret").GetString()!);

        var (listStatus, listed) = await SendAsync(HttpMethod.Get, "oauth/fast-api-key", token);
        var duplicate = await SendAsync(HttpMethod.Post, "oauth/fast-api-key", token, new JsonObject { ["api_key_name"] = "bot" });
        var (updateStatus, updated) = await SendAsync(HttpMethod.Put, "oauth/fast-api-key", token, new JsonObject
        {
            ["api_key_name"] = "bot",
            ["new_api_key_name"] = "bot-2",
            ["permissions"] = new JsonObject { ["trades_modify"] = true, ["funds_query"] = true },
        });
        var order = await fast.PostAsync("AddOrder", ("pair", "XBTUSD"), ("type", "buy"), ("ordertype", "market"), ("volume", "0.001"));
        var unknown = await SendAsync(HttpMethod.Put, "oauth/fast-api-key", token, new JsonObject { ["api_key_name"] = "bot" });
        var (deleteStatus, deleted) = await SendAsync(HttpMethod.Delete, "oauth/fast-api-key", token, new JsonObject { ["api_key_name"] = "bot-2" });
        var afterDelete = await fast.ErrorAsync("Balance");
        var (_, empty) = await SendAsync(HttpMethod.Get, "oauth/fast-api-key", token);

        Assert.Multiple(() =>
        {
            Assert.That(listStatus, Is.EqualTo(HttpStatusCode.OK));
            var entry = listed.GetProperty("result").EnumerateArray().Single();
            Assert.That(entry.TryGetProperty("secret", out _), Is.False);
            Assert.That(entry.GetProperty("api_key").GetString(), Is.EqualTo(apiKey));
            Assert.That((duplicate.Status, Error(duplicate.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_request")));
            Assert.That((updateStatus, updated.GetRawText()), Is.EqualTo((HttpStatusCode.OK, """{"result":true}""")));
            Assert.That(PrivateClient.Result("AddOrder", order).GetProperty("txid").GetArrayLength(), Is.EqualTo(1));
            Assert.That((unknown.Status, Error(unknown.Json)), Is.EqualTo((HttpStatusCode.BadRequest, "invalid_request")));
            Assert.That((deleteStatus, deleted.GetRawText()), Is.EqualTo((HttpStatusCode.OK, """{"result":true}""")));
            Assert.That(afterDelete, Is.EqualTo("EAPI:Invalid key"));
            Assert.That(empty.GetProperty("result").GetArrayLength(), Is.Zero);
            Assert.That(_kraken.Accounts.Get(Key).FastApiKeys, Is.Empty);
        });
    }

    [Test]
    public async Task FastApiKey_ExpiresAtValidUntil()
    {
        var token = (await ExchangeAsync(AllScopes)).GetProperty("access_token").GetString();
        var validUntil = _clock.GetUtcNow().ToUnixTimeSeconds() + 60;
        var (_, created) = await SendAsync(HttpMethod.Post, "oauth/fast-api-key", token, new JsonObject { ["valid_until"] = validUntil });
        var key = created.GetProperty("result");
        var fast = new PrivateClient(_http, key.GetProperty("api_key").GetString()!, key.GetProperty("secret").GetString()!);

        var before = await fast.ResultAsync("Balance");
        _clock.Advance(TimeSpan.FromSeconds(61));
        var after = await fast.ErrorAsync("Balance");

        Assert.Multiple(() =>
        {
            // Without a permissions object the key gets every permission the token's scopes allow.
            Assert.That(key.GetProperty("permissions").EnumerateObject().Select(p => p.Value.GetBoolean()), Is.All.True);
            Assert.That(key.GetProperty("api_key_name").GetString(), Is.EqualTo("fast-api-key-1"));
            Assert.That(key.GetProperty("valid_until").GetInt64(), Is.EqualTo(validUntil));
            Assert.That(before.ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(after, Is.EqualTo("EAPI:Invalid key"));
        });
    }

    [Test]
    public async Task ControlEndpoint_IssuesCodes_ForOutOfProcessUse()
    {
        using var content = new StringContent(
            JsonSerializer.Serialize(new { client_id = ClientId, api_key = Key, scope = EmulatedOAuth.UserInfoScope, redirect_uri = RedirectUri }),
            Encoding.UTF8,
            "application/json");
        using var response = await _http.PostAsync(new Uri("_emulator/oauth/code", UriKind.Relative), content);
        var code = (await JsonAsync(response)).GetProperty("code").GetString()!;
        var token = await TokenAsync(ClientId, ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));

        using var badContent = new StringContent("""{"client_id":"nobody","api_key":"x","redirect_uri":"y"}""", Encoding.UTF8, "application/json");
        using var bad = await _http.PostAsync(new Uri("_emulator/oauth/code", UriKind.Relative), badContent);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(token.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(() => _kraken.OAuth.IssueAuthorizationCode(ClientId, Key, ["account.unknown:scope"], RedirectUri), Throws.ArgumentException);
            Assert.That(() => _kraken.OAuth.IssueAuthorizationCode(ClientId, "nobody", [], RedirectUri), Throws.TypeOf<KeyNotFoundException>());
        });
    }

    [Test]
    public async Task Sandbox_HasItsOwnClient_WhenNoneIsConfigured()
    {
        await using var sandbox = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { PriceTickInterval = Timeout.InfiniteTimeSpan });
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var code = sandbox.OAuth.IssueAuthorizationCode(EmulatedOAuthClient.SandboxClientId, EmulatedAccountOptions.SandboxApiKey, [], RedirectUri);
        var (status, token, _) = await TokenAsync(http, EmulatedOAuthClient.SandboxClientId, EmulatedOAuthClient.SandboxClientSecret,
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));

        Assert.Multiple(() =>
        {
            Assert.That(sandbox.OAuth.ClientIds, Is.EqualTo(new[] { EmulatedOAuthClient.SandboxClientId }));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), token.ToString);
        });
    }

    // ------------------------------------------------------------------ helpers

    private async Task<JsonElement> ExchangeAsync(string[] scopes)
    {
        var code = _kraken.OAuth.IssueAuthorizationCode(ClientId, Key, scopes, RedirectUri);
        var (status, token, _) = await TokenAsync(ClientId, ClientSecret, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), token.ToString);
        return token;
    }

    private Task<(HttpStatusCode Status, JsonElement Json, HttpResponseHeaders Headers)> TokenAsync(string clientId, string clientSecret, params (string Name, string Value)[] form) =>
        TokenAsync(_http, clientId, clientSecret, form);

    /// <summary>POST /oauth/token with a form body and <c>Authorization: Basic base64(client_id:client_secret)</c>.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseHeaders Headers)> TokenAsync(HttpClient http, string clientId, string clientSecret, params (string Name, string Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("oauth/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        using var response = await http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone(), response.Headers);
    }

    /// <summary>A Bearer call (no Authorization header when <paramref name="accessToken"/> is null), with an optional JSON body.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(HttpMethod method, string path, string? accessToken, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static string? Error(JsonElement json) => json.TryGetProperty("error", out var error) ? error.GetString() : null;
}
