namespace KrakenGrpc.Client;

/// <summary>Client order ids (<c>cl_ord_id</c>) for orders the caller wants to find again by its own id.</summary>
public static class KrakenOrderIds
{
    /// <summary>
    /// A fresh <c>cl_ord_id</c>: Kraken's "short UUID" form, the 32 lowercase hex characters of a random (version 4)
    /// UUID, e.g. <c>da8e4ad59b78481c93e589746b0cf91f</c>. The same form the gateway generates for an order that
    /// came without one, and one of the three it accepts. Named as in the seed SDK (<c>generateNewOrderID</c>).
    /// </summary>
    public static string GenerateNewOrderID() => Guid.NewGuid().ToString("N");
}
