namespace KrakenGrpc.Server.Services;

/// <summary>Orders: queries, placement, amendment, cancellation and the dead man's switch.</summary>
internal sealed class OrdersService : Contracts.Spot.V1.OrdersService.OrdersServiceBase
{
}
