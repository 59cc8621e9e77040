namespace KrakenGrpc.Emulator;

/// <summary>What an injected fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>Answer an HTTP status (500, 502, 503, 429...) with a small non-Kraken body.</summary>
    HttpStatus,

    /// <summary>Wait, then answer normally (to exercise client timeouts and deadlines).</summary>
    Delay,

    /// <summary>Answer 200 with the normal body cut in half: unreadable JSON.</summary>
    MalformedJson,

    /// <summary>Answer 200 with Kraken's envelope carrying one error string ("EService:Unavailable").</summary>
    KrakenError,

    /// <summary>
    /// Carry the request out (place the order, move the money), then answer an HTTP status instead of the result:
    /// the answer is lost but the effect happened, the case a gateway must never resolve by sending again.
    /// </summary>
    LostAnswer,
}

/// <summary>
/// A fault to apply to the next <see cref="Times"/> requests to one path. Build one with the factory methods and
/// adjust with <c>with</c>: <c>Fault.Status(503) with { Times = 2 }</c>.
/// </summary>
public sealed record Fault
{
    private readonly int _times = 1;

    private Fault(FaultKind kind) => Kind = kind;

    public FaultKind Kind { get; }

    /// <summary>How many consecutive requests the fault applies to (at least 1; default 1).</summary>
    public int Times
    {
        get => _times;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _times = value;
        }
    }

    /// <summary>For <see cref="FaultKind.HttpStatus"/>: the status code to answer.</summary>
    public int StatusCode { get; init; }

    /// <summary>For <see cref="FaultKind.HttpStatus"/>: the body; null sends a short HTML page like a proxy's.</summary>
    public string? Body { get; init; }

    /// <summary>For <see cref="FaultKind.Delay"/>: how long to wait before answering.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>For <see cref="FaultKind.KrakenError"/>: the error string placed in the envelope.</summary>
    public string? Error { get; init; }

    /// <summary>Answer <paramref name="statusCode"/> (e.g. 500, 502, 503, 429) with a small body.</summary>
    public static Fault Status(int statusCode, string? body = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new Fault(FaultKind.HttpStatus) { StatusCode = statusCode, Body = body };
    }

    /// <summary>Wait <paramref name="duration"/>, then answer normally.</summary>
    public static Fault Delay(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return new Fault(FaultKind.Delay) { Duration = duration };
    }

    /// <summary>Do what the request asks, then answer <paramref name="statusCode"/> instead of the result.</summary>
    public static Fault LostAnswer(int statusCode = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new Fault(FaultKind.LostAnswer) { StatusCode = statusCode };
    }

    /// <summary>Answer 200 with a truncated JSON body.</summary>
    public static Fault Malformed() => new(FaultKind.MalformedJson);

    /// <summary>Answer 200 with <c>{"error":["<paramref name="error"/>"]}</c>, e.g. "EService:Unavailable".</summary>
    public static Fault KrakenError(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new Fault(FaultKind.KrakenError) { Error = error };
    }
}
