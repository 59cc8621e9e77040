using Grpc.Core;

namespace KrakenGrpc.Client.Tests;

public class KrakenErrorDetailsTests
{
    [Test]
    public void AFailureWithoutRichStatus_HasNoDetails()
    {
        var plain = new RpcException(new Status(StatusCode.Unavailable, "connection refused"));

        Assert.Multiple(() =>
        {
            Assert.That(plain.GetErrorInfo(), Is.Null);
            Assert.That(plain.GetRetryDelay(), Is.Null);
            Assert.That(plain.GetFieldViolations(), Is.Empty);
        });
    }
}
