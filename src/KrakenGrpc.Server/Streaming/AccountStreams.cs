using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Accounts;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Server.Streaming;

/// <summary>
/// The private streams: an account's balances and open orders. Each is one poller per account and filter, signed
/// for that account and charged to its budget like any call. The whole state is one entry, compared by value, so a
/// subscriber gets the complete set whenever anything in it changed (an order that closed simply is no longer in
/// it) and nothing while nothing changed. Requests are validated by the unary RPCs' mappings.
/// </summary>
internal static class AccountStreams
{
    // The single identity of a whole-state entry.
    private const string State = "state";

    public static StreamDefinition<PairEntry<GetAccountBalanceResponse>, StreamBalancesResponse> Balances(StreamBalancesRequest request, KrakenAccount account)
    {
        var parameters = AccountMapping.Parameters(new GetAccountBalanceRequest { RebaseMultiplier = request.RebaseMultiplier });
        return new()
        {
            Key = KeyOf(KrakenEndpoints.Balance, account, parameters),
            Endpoint = KrakenEndpoints.Balance,
            Account = account,
            Parameters = _ => parameters,
            Read = result => WholeState(AccountMapping.ToAccountBalance(result)),
            Identity = _ => State,
            ToResponse = update => new StreamBalancesResponse { Balances = { update.Entries[^1].Value.Balances }, Snapshot = update.IsSnapshot },
        };
    }

    public static StreamDefinition<PairEntry<GetOpenOrdersResponse>, StreamOpenOrdersResponse> OpenOrders(StreamOpenOrdersRequest request, KrakenAccount account)
    {
        var unary = new GetOpenOrdersRequest { ClOrdId = request.ClOrdId, RebaseMultiplier = request.RebaseMultiplier };
        if (request.HasTrades)
        {
            unary.Trades = request.Trades;
        }
        if (request.HasUserref)
        {
            unary.Userref = request.Userref;
        }
        var parameters = OrdersMapping.Parameters(unary);
        return new()
        {
            Key = KeyOf(KrakenEndpoints.OpenOrders, account, parameters),
            Endpoint = KrakenEndpoints.OpenOrders,
            Account = account,
            Parameters = _ => parameters,
            Read = result => WholeState(OrdersMapping.ToOpenOrders(result)),
            Identity = _ => State,
            ToResponse = update => new StreamOpenOrdersResponse { OpenOrders = { update.Entries[^1].Value.OpenOrders }, Snapshot = update.IsSnapshot },
        };
    }

    private static StreamKey KeyOf(KrakenEndpoint endpoint, KrakenAccount account, KrakenParameters parameters) =>
        new(endpoint.Name, account.Name, KrakenRequestEncoder.EncodeForm(parameters));

    private static StreamPage<PairEntry<T>> WholeState<T>(T state) => new(string.Empty, [new PairEntry<T>(State, state)], string.Empty);
}
