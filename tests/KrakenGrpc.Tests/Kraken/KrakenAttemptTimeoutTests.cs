using KrakenGrpc.Kraken.Transport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;

namespace KrakenGrpc.Tests.Kraken;

/// <summary>
/// The per-attempt timeout tells an attempt Kraken left unanswered (a timeout the retries and the error table know)
/// from a caller who gave up (a cancellation, never retried).
/// </summary>
public class KrakenAttemptTimeoutTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public void AnAttemptKrakenLeavesUnanswered_FailsAsATimeout_WhenTheRequestTimeoutPasses()
    {
        var time = new FakeTimeProvider();
        using var invoker = Invoker(time);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://kraken.invalid/0/public/Time");

        var sending = invoker.SendAsync(request, CancellationToken.None);
        time.Advance(RequestTimeout - TimeSpan.FromMilliseconds(1));
        var earlier = sending.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(earlier, Is.False, "it waited the whole timeout");
            Assert.That(async () => await sending, Throws.InstanceOf<TimeoutRejectedException>());
        });
    }

    [Test]
    public async Task TheCallerGivingUp_StaysACancellation()
    {
        var time = new FakeTimeProvider();
        using var invoker = Invoker(time);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://kraken.invalid/0/public/Time");
        using var caller = new CancellationTokenSource();

        var sending = invoker.SendAsync(request, caller.Token);
        await caller.CancelAsync();

        Assert.That(async () => await sending, Throws.InstanceOf<OperationCanceledException>());
    }

    private static HttpMessageInvoker Invoker(TimeProvider time) =>
        new(new KrakenAttemptTimeout(Options.Create(new KrakenOptions { RequestTimeout = RequestTimeout }), time) { InnerHandler = new Unanswered() });

    /// <summary>Kraken holding the connection open without a word, until the attempt's token ends the wait.</summary>
    private sealed class Unanswered : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("An infinite wait ended without its token.");
        }
    }
}
