namespace KrakenGrpc.Server.Services;

/// <summary>Account data: balances, positions, trade and ledger history, exports, API key info, subaccounts.</summary>
internal sealed class AccountService : Contracts.Spot.V1.AccountService.AccountServiceBase
{
}
