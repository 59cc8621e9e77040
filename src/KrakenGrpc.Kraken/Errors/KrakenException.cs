namespace KrakenGrpc.Kraken.Errors;

/// <summary>
/// A call to Kraken failed: Kraken refused it, or the gateway could not get a readable answer. The message and the
/// properties carry what the caller may see (endpoint, Kraken's own error strings); never a key, a signature or a
/// request body.
/// </summary>
public sealed class KrakenException : Exception
{
    public KrakenException(
        KrakenErrorClass errorClass,
        string endpoint,
        string message,
        IReadOnlyList<string>? krakenErrors = null,
        Exception? innerException = null,
        IReadOnlyDictionary<string, string>? details = null)
        : base(message, innerException)
    {
        ErrorClass = errorClass;
        Endpoint = endpoint;
        KrakenErrors = krakenErrors ?? [];
        Details = details ?? new Dictionary<string, string>();
    }

    /// <summary>The gRPC code, reason and retry advice for this failure.</summary>
    public KrakenErrorClass ErrorClass { get; }

    /// <summary>Kraken's name of the endpoint that failed.</summary>
    public string Endpoint { get; }

    /// <summary>Kraken's error strings exactly as received; empty when the failure was the gateway's own.</summary>
    public IReadOnlyList<string> KrakenErrors { get; }

    /// <summary>What the caller needs to act on the failure (an order's <c>cl_ord_id</c>), carried in ErrorInfo metadata.</summary>
    public IReadOnlyDictionary<string, string> Details { get; }

    /// <summary>
    /// The same failure as a new exception object for one more caller: one object thrown on several threads at once
    /// would have its stack trace written concurrently (a poller's failure reaches every subscriber, a shared public
    /// read's every caller).
    /// </summary>
    public KrakenException ForAnotherCaller() => new(ErrorClass, Endpoint, Message, KrakenErrors, this, Details);
}
