using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Server.Streaming;

namespace KrakenGrpc.Tests.Streaming;

/// <summary>A subscriber's mailbox: what a slow reader gets when several updates arrived while it was busy.</summary>
public class MailboxTests
{
    // Entries are (id, version): the id is the identity, a higher version is a changed entry.
    private static Mailbox<(int Id, int Version)> NewMailbox(int? backlogLimit = null) => new(entry => entry.Id, backlogLimit);

    private static StreamUpdate<(int Id, int Version)> Update(string cursor, params (int Id, int Version)[] entries) =>
        new("PAIR", entries, cursor, IsSnapshot: false);

    private static async Task<StreamUpdate<(int Id, int Version)>> TakeAsync(Mailbox<(int Id, int Version)> mailbox) =>
        (await mailbox.TakeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)))!;

    [Test]
    public async Task UnreadUpdates_AreMerged_NewEntriesAppended_ChangedEntriesReplacedInPlace()
    {
        var mailbox = NewMailbox();
        mailbox.Post(Update("1", (1, 0), (2, 0)));
        mailbox.Post(Update("2", (2, 1), (3, 0)));
        mailbox.Post(Update("3", (4, 0)));

        var merged = await TakeAsync(mailbox);

        Assert.Multiple(() =>
        {
            Assert.That(merged.Entries, Is.EqualTo(new[] { (1, 0), (2, 1), (3, 0), (4, 0) }));
            Assert.That(merged.Cursor, Is.EqualTo("3"), "the newest cursor");
            Assert.That(merged.IsSnapshot, Is.False);
        });
    }

    [Test]
    public async Task AnUnreadSnapshot_StaysASnapshot_WhenChangesAreMergedIntoIt()
    {
        var mailbox = NewMailbox();
        mailbox.Post(new StreamUpdate<(int Id, int Version)>("PAIR", [(1, 0), (2, 0)], "1", IsSnapshot: true));
        mailbox.Post(Update("2", (2, 1)));

        var merged = await TakeAsync(mailbox);

        Assert.That(merged.IsSnapshot, Is.True);
        Assert.That(merged.Entries, Is.EqualTo(new[] { (1, 0), (2, 1) }));
    }

    [Test]
    public async Task BacklogPastItsLimit_KeepsTheNewestEntries_AndIsMarkedASnapshot()
    {
        var mailbox = NewMailbox(backlogLimit: 3);
        mailbox.Post(Update("1", (1, 0), (2, 0)));
        mailbox.Post(Update("2", (3, 0), (4, 0), (5, 0)));

        var merged = await TakeAsync(mailbox);

        Assert.That(merged.Entries, Is.EqualTo(new[] { (3, 0), (4, 0), (5, 0) }));
        Assert.That(merged.IsSnapshot, Is.True, "the client must learn that entries were dropped");
    }

    [Test]
    public async Task AReaderWaiting_IsWokenByThePost()
    {
        var mailbox = NewMailbox();
        var waiting = mailbox.TakeAsync(CancellationToken.None).AsTask();
        Assert.That(waiting.IsCompleted, Is.False);

        mailbox.Post(Update("1", (1, 0)));

        Assert.That((await waiting.WaitAsync(TimeSpan.FromSeconds(5)))!.Entries, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Close_DeliversWhatIsUnreadFirst_ThenEndsNormally()
    {
        var mailbox = NewMailbox();
        mailbox.Post(Update("1", (1, 0)));
        mailbox.Close();

        Assert.That(await TakeAsync(mailbox), Is.Not.Null);
        Assert.That(await mailbox.TakeAsync(CancellationToken.None), Is.Null);
    }

    [Test]
    public void CloseWithAFailure_IsThrownToTheReader()
    {
        var mailbox = NewMailbox();
        var failure = new KrakenException(new KrakenErrorClass(Grpc.Core.StatusCode.NotFound, "UNKNOWN_ASSET_PAIR"), "Ticker", "Unknown pair.");
        mailbox.Close(failure);

        Assert.That(async () => await mailbox.TakeAsync(CancellationToken.None), Throws.TypeOf<KrakenException>());
    }

    [Test]
    public void ACancelledReader_StopsWaiting()
    {
        var mailbox = NewMailbox();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.That(async () => await mailbox.TakeAsync(cancel.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}

/// <summary>The delay between failed polls.</summary>
public class PollBackoffTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [TestCase(1, 1, 2)]
    [TestCase(2, 2, 4)]
    [TestCase(3, 4, 8)]
    [TestCase(6, 15, 30)]
    [TestCase(1000, 15, 30)]
    public void Delay_GrowsExponentiallyWithJitter_UpToTheCeiling(int failures, double atLeastSeconds, double atMostSeconds)
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => PollBackoff.Delay(failures, Interval, advised: null, random)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(delays, Has.All.InRange(TimeSpan.FromSeconds(atLeastSeconds), TimeSpan.FromSeconds(atMostSeconds)));
            Assert.That(delays.Distinct().Count(), Is.GreaterThan(100), "jittered");
        });
    }

    [Test]
    public void KrakensAdvice_IsRespected_UpToTheCeiling()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PollBackoff.Delay(1, Interval, TimeSpan.FromSeconds(10), new Random(1)), Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(PollBackoff.Delay(1, Interval, TimeSpan.FromMinutes(15), new Random(1)), Is.EqualTo(PollBackoff.Ceiling));
        });
    }

    [TestCase(20)]
    [TestCase(120)]
    public void Delay_IsNeverShorterThanThePollInterval(int intervalSeconds)
    {
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        var random = new Random(3);

        var delays = Enumerable.Range(1, 12).SelectMany(failures => Enumerable.Range(0, 50).Select(_ => PollBackoff.Delay(failures, interval, null, random)));

        Assert.That(delays, Has.All.GreaterThanOrEqualTo(interval));
    }
}
