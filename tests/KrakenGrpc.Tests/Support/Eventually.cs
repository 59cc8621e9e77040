using System.Diagnostics;

namespace KrakenGrpc.Tests.Support;

/// <summary>Waits for something another thread or process makes true, failing the test with what it waited for.</summary>
public static class Eventually
{
    /// <summary>Generous: the machine may be loaded.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > Patience)
            {
                Assert.Fail($"Gave up after {Patience.TotalSeconds} s waiting until {what}.");
            }
            await Task.Delay(20);
        }
    }
}
