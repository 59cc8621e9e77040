using Grpc.Core;
using KrakenGrpc.Kraken.Errors;

namespace KrakenGrpc.Tests.Kraken;

public class KrakenErrorTableTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [TestCase("EGeneral:Invalid arguments", StatusCode.InvalidArgument, "INVALID_ARGUMENTS")]
    [TestCase("EGeneral:Invalid arguments:volume", StatusCode.InvalidArgument, "INVALID_ARGUMENTS")]
    [TestCase("EGeneral:Invalid arguments:Index unavailable", StatusCode.FailedPrecondition, "INDEX_UNAVAILABLE")]
    [TestCase("EQuery:Unknown asset pair", StatusCode.NotFound, "UNKNOWN_ASSET_PAIR")]
    [TestCase("EQuery:Unknown asset", StatusCode.NotFound, "UNKNOWN_ASSET")]
    [TestCase("EOrder:Unknown order", StatusCode.NotFound, "UNKNOWN_ORDER")]
    [TestCase("EAPI:Invalid key", StatusCode.Unauthenticated, "INVALID_KEY")]
    [TestCase("EAPI:Invalid signature", StatusCode.Unauthenticated, "INVALID_SIGNATURE")]
    [TestCase("EAPI:Invalid nonce", StatusCode.Unauthenticated, "INVALID_NONCE")]
    [TestCase("EGeneral:Permission denied", StatusCode.PermissionDenied, "PERMISSION_DENIED")]
    [TestCase("EOrder:Insufficient funds", StatusCode.FailedPrecondition, "INSUFFICIENT_FUNDS")]
    [TestCase("EOrder:Margin level too low", StatusCode.FailedPrecondition, "MARGIN_LEVEL_TOO_LOW")]
    [TestCase("EService:Market in cancel_only mode", StatusCode.FailedPrecondition, "MARKET_CANCEL_ONLY")]
    [TestCase("EAPI:Rate limit exceeded", StatusCode.ResourceExhausted, "RATE_LIMIT_EXCEEDED")]
    [TestCase("EOrder:Rate limit exceeded", StatusCode.ResourceExhausted, "TRADING_RATE_LIMIT_EXCEEDED")]
    [TestCase("EGeneral:Too many requests", StatusCode.ResourceExhausted, "TOO_MANY_REQUESTS")]
    [TestCase("EService:Unavailable", StatusCode.Unavailable, "SERVICE_UNAVAILABLE")]
    [TestCase("EService:Busy", StatusCode.Unavailable, "SERVICE_BUSY")]
    [TestCase("EGeneral:Temporary lockout", StatusCode.Unavailable, "TEMPORARY_LOCKOUT")]
    [TestCase("EService:Deadline elapsed", StatusCode.DeadlineExceeded, "KRAKEN_DEADLINE_ELAPSED")]
    [TestCase("EEarnings:Busy", StatusCode.Unavailable, "EARN_BUSY")]
    [TestCase("EEarnings:Busy:Another (de)allocation for the same strategy is in progress", StatusCode.FailedPrecondition, "EARN_OPERATION_IN_PROGRESS")]
    public void KnownKrakenErrors_MapToTheDocumentedStatus(string krakenError, StatusCode code, string reason)
    {
        var errorClass = KrakenErrorTable.Classify(krakenError, Now);

        Assert.Multiple(() =>
        {
            Assert.That(errorClass.Code, Is.EqualTo(code));
            Assert.That(errorClass.Reason, Is.EqualTo(reason));
        });
    }

    [TestCase("EOrder:Something new", StatusCode.FailedPrecondition)]
    [TestCase("EAPI:Something new", StatusCode.Unauthenticated)]
    [TestCase("EService:Something new", StatusCode.Unavailable)]
    [TestCase("EQuery:Something new", StatusCode.InvalidArgument)]
    [TestCase("ENewCategory:Something new", StatusCode.Unknown)]
    [TestCase("no category at all", StatusCode.Unknown)]
    public void UnknownKrakenErrors_FallBackToTheirCategory(string krakenError, StatusCode code)
    {
        var errorClass = KrakenErrorTable.Classify(krakenError, Now);

        Assert.Multiple(() =>
        {
            Assert.That(errorClass.Code, Is.EqualTo(code));
            Assert.That(errorClass.Reason, Is.EqualTo("KRAKEN_ERROR"));
        });
    }

    [TestCase("EService:Throttled: 1700000030")]
    [TestCase("EService: Throttled: 1700000030")]
    public void Throttled_TellsTheCallerToWaitUntilKrakensTimestamp(string krakenError)
    {
        var errorClass = KrakenErrorTable.Classify(krakenError, Now);

        Assert.Multiple(() =>
        {
            Assert.That(errorClass.Code, Is.EqualTo(StatusCode.ResourceExhausted));
            Assert.That(errorClass.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void OnlyTransientServiceErrors_AreRetriedForReads()
    {
        var retried = KrakenErrorTable.Entries.Where(e => e.Class.TransientForReads).Select(e => e.KrakenPrefix);

        Assert.That(retried, Is.EquivalentTo(new[] { "EService:Unavailable", "EService:Busy", "EGeneral:Too many requests" }));
    }
}

public class ReadmeErrorTableTests
{
    [Test]
    public void ReadmeErrorTable_ListsEveryEntryOfTheCodeTable()
    {
        var readme = File.ReadAllText(KrakenGrpc.Tests.Support.Repository.PathOf("README.md"));

        Assert.Multiple(() =>
        {
            foreach (var (prefix, errorClass) in KrakenErrorTable.Entries)
            {
                var code = System.Text.RegularExpressions.Regex.Replace(errorClass.Code.ToString(), "(?<!^)([A-Z])", "_$1").ToUpperInvariant();
                Assert.That(readme, Does.Contain($"| `{prefix}` | `{code}` | `{errorClass.Reason}` |"), prefix);
            }
        });
    }

    [Test]
    public void ReadmeErrorTable_ListsEveryClassOfTheGatewaysOwn()
    {
        var readme = File.ReadAllText(KrakenGrpc.Tests.Support.Repository.PathOf("README.md"));
        var ownClasses = typeof(KrakenErrorTable).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(KrakenErrorClass))
            .Select(f => (KrakenErrorClass)f.GetValue(null)!)
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ownClasses, Has.Count.GreaterThan(10));
            foreach (var errorClass in ownClasses)
            {
                var code = System.Text.RegularExpressions.Regex.Replace(errorClass.Code.ToString(), "(?<!^)([A-Z])", "_$1").ToUpperInvariant();
                Assert.That(readme, Does.Contain($"| `{code}` | `{errorClass.Reason}` |"), errorClass.Reason);
            }
        });
    }
}
