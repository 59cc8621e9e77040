using System.Text.Json;
using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Mapping;

public class OAuthMappingTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Test]
    public void FastApiKey_PermissionsKrakenDidNotSend_StayUnset()
    {
        var key = OAuthMapping.ToCreatedKey(Json("""{"secret":"s","api_key":"k","permissions":{"funds_query":true,"trades_modify":false}}""")).Key;

        Assert.Multiple(() =>
        {
            Assert.That(key.Permissions.HasFundsQuery && key.Permissions.FundsQuery, Is.True);
            Assert.That(key.Permissions.HasTradesModify && !key.Permissions.TradesModify, Is.True);
            Assert.That(key.Permissions.HasFundsWithdraw, Is.False, "a permission Kraken did not send reads as unset");
        });
    }

    [Test]
    public void AccessToken_MapsTheStandardOAuthFields()
    {
        var token = OAuthMapping.ToAccessToken(Json("""{"access_token":"a","token_type":"bearer","expires_in":86400,"refresh_token":"r"}"""));

        Assert.Multiple(() =>
        {
            Assert.That(token.AccessToken, Is.EqualTo("a"));
            Assert.That(token.ExpiresIn.ToTimeSpan(), Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(token.RefreshToken, Is.EqualTo("r"));
        });
    }

    [Test]
    public void AccessToken_WithoutAGrant_IsRefusedBeforeKraken()
    {
        var failure = Assert.Throws<RpcException>(() => OAuthMapping.Parameters(new GetOAuthAccessTokenRequest()))!;

        Assert.That(failure.BadRequest()!.FieldViolations.Select(v => v.Field), Is.EqualTo(new[] { "grant" }));
    }

    [Test]
    public void FastApiKeyUpdate_WithAnEmptyAllowlist_SendsAnEmptyListToClearIt()
    {
        var body = System.Text.Encoding.UTF8.GetString(KrakenRequestEncoder.EncodeJson(OAuthMapping.Parameters(
            new UpdateOAuthFastApiKeyRequest { ApiKeyName = "bot", IpAllowlist = new FastApiKeyIpAllowlist() })));

        Assert.That(body, Is.EqualTo("""{"api_key_name":"bot","ip_allowlist":[]}"""));
    }
}
