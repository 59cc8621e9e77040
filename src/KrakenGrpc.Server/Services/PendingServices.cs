namespace KrakenGrpc.Server.Services;

// The services whose RPCs arrive with later work (funding, OAuth). They are mapped now so the whole contract is
// discoverable through reflection; every RPC answers UNIMPLEMENTED with a message naming it (see
// KrakenErrorInterceptor) until its implementation replaces the base method. The README's coverage table lists them.

internal sealed class FundingService : Contracts.Spot.V1.FundingService.FundingServiceBase;

internal sealed class OAuthService : Contracts.Spot.V1.OAuthService.OAuthServiceBase;
