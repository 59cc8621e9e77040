using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Kraken Connect: the token exchange (with the gateway's own client credentials) and the calls a user's access
/// token allows (user info, Fast API keys), the token coming from the <c>kraken-oauth-token</c> metadata.
/// </summary>
internal sealed class OAuthService(KrakenCalls kraken) : Contracts.Spot.V1.OAuthService.OAuthServiceBase
{
    public override Task<GetOAuthAccessTokenResponse> GetOAuthAccessToken(GetOAuthAccessTokenRequest request, ServerCallContext context) =>
        kraken.OAuthAsync(KrakenEndpoints.OAuthToken, OAuthMapping.Parameters(request), OAuthMapping.ToAccessToken, context);

    public override Task<GetOAuthUserInfoResponse> GetOAuthUserInfo(GetOAuthUserInfoRequest request, ServerCallContext context) =>
        kraken.OAuthAsync(KrakenEndpoints.OAuthUserInfo, new KrakenParameters(), OAuthMapping.ToUserInfo, context);

    public override Task<CreateOAuthFastApiKeyResponse> CreateOAuthFastApiKey(CreateOAuthFastApiKeyRequest request, ServerCallContext context) =>
        kraken.OAuthAsync(KrakenEndpoints.FastApiKeyCreate, OAuthMapping.Parameters(request), OAuthMapping.ToCreatedKey, context);

    public override Task<UpdateOAuthFastApiKeyResponse> UpdateOAuthFastApiKey(UpdateOAuthFastApiKeyRequest request, ServerCallContext context) =>
        kraken.OAuthAsync(KrakenEndpoints.FastApiKeyUpdate, OAuthMapping.Parameters(request), OAuthMapping.ToUpdated, context);

    public override Task<DeleteOAuthFastApiKeyResponse> DeleteOAuthFastApiKey(DeleteOAuthFastApiKeyRequest request, ServerCallContext context) =>
        kraken.OAuthAsync(KrakenEndpoints.FastApiKeyDelete, OAuthMapping.Parameters(request), OAuthMapping.ToDeleted, context);

    public override Task<ListOAuthFastApiKeysResponse> ListOAuthFastApiKeys(ListOAuthFastApiKeysRequest request, ServerCallContext context) =>
        kraken.OAuthAsync(KrakenEndpoints.FastApiKeyList, new KrakenParameters(), OAuthMapping.ToKeys, context);
}
