using Grpc.Core;

namespace KrakenGrpc.Client;

/// <summary>
/// Reads the gateway's response trailers of a successful call: <c>call.GetTrailers()</c> after awaiting an
/// <see cref="AsyncUnaryCall{TResponse}"/>, or <see cref="RpcException.Trailers"/> of a failed one.
/// </summary>
public static class KrakenTrailers
{
    /// <summary>Kraken's warnings (<c>W...</c> strings) beside a successful result, in Kraken's order; empty when none.</summary>
    public static IReadOnlyList<string> GetKrakenWarnings(this Metadata trailers)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        return trailers.GetAll(KrakenHeaders.Warning).Select(entry => entry.Value).ToList();
    }

    /// <summary>
    /// True when SubmitOrder's answer from Kraken was lost and the gateway found the order by its <c>cl_ord_id</c>:
    /// it was placed once, and the response was built from the order found rather than from AddOrder's answer.
    /// </summary>
    public static bool IsReconciled(this Metadata trailers)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        return trailers.GetValue(KrakenHeaders.Reconciled) == "true";
    }
}
