using System.Text.Json;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.Kraken;

/// <summary>The catalogue against the machine-readable API reference (../shared/kraken/endpoints.json).</summary>
public class KrakenEndpointsTests
{
    // The browser-side OAuth redirect is a page a person opens, not a call the gateway makes.
    private static readonly string[] NotCalledByTheGateway = ["OAuthAuthorize"];

    private static List<JsonElement> ReferenceEndpoints()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Repository.SharedKraken("endpoints.json")));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Test]
    public void Catalogue_HasEveryReferenceEndpoint_WithItsVerbPathAndEncoding()
    {
        var catalogue = KrakenEndpoints.All.ToDictionary(e => e.Name);

        Assert.Multiple(() =>
        {
            foreach (var reference in ReferenceEndpoints())
            {
                var name = reference.GetProperty("name").GetString()!;
                if (NotCalledByTheGateway.Contains(name))
                {
                    continue;
                }
                Assert.That(catalogue.TryGetValue(name, out var endpoint), Is.True, $"{name} is missing");
                if (endpoint is null)
                {
                    continue;
                }

                var path = reference.GetProperty("path").GetString()!;
                Assert.That(endpoint.Method.Method, Is.EqualTo(reference.GetProperty("method").GetString()), name);
                Assert.That(path.EndsWith(endpoint.Path, StringComparison.Ordinal), Is.True, $"{name}: {endpoint.Path} vs {path}");
                var body = reference.GetProperty("body").GetString();
                var expectedEncoding = body switch { "json" => BodyEncoding.Json, "form" => BodyEncoding.Form, _ => BodyEncoding.Query };
                Assert.That(endpoint.Encoding, Is.EqualTo(expectedEncoding), name);
            }
        });
    }

    [Test]
    public void Catalogue_ChargesTheReferenceRestCounterCost()
    {
        var catalogue = KrakenEndpoints.All.ToDictionary(e => e.Name);

        Assert.Multiple(() =>
        {
            foreach (var reference in ReferenceEndpoints())
            {
                var cost = reference.GetProperty("rate_cost");
                if (cost.GetProperty("limiter").GetString() == "rest_counter")
                {
                    var name = reference.GetProperty("name").GetString()!;
                    Assert.That(catalogue[name].Limiter, Is.EqualTo(KrakenLimiter.RestCounter), name);
                    Assert.That(catalogue[name].CounterCost, Is.EqualTo(cost.GetProperty("points").GetInt32()), name);
                }
            }
        });
    }

    [TestCase("AddOrder")]
    [TestCase("AddOrderBatch")]
    [TestCase("AmendOrder")]
    [TestCase("EditOrder")]
    [TestCase("CancelOrder")]
    [TestCase("CancelOrderBatch")]
    [TestCase("CancelAll")]
    [TestCase("CancelAllOrdersAfter")]
    [TestCase("Withdraw")]
    [TestCase("WithdrawCancel")]
    [TestCase("WalletTransfer")]
    [TestCase("AccountTransfer")]
    [TestCase("CreateSubaccount")]
    [TestCase("Earn/Allocate")]
    [TestCase("Earn/Deallocate")]
    [TestCase("OAuthToken")]
    public void StateChangingEndpoints_AreNeverRetried(string name)
    {
        Assert.That(KrakenEndpoints.All.Single(e => e.Name == name).IsRetryable, Is.False);
    }

    [Test]
    public void CatalogueNames_AreUnique()
    {
        Assert.That(KrakenEndpoints.All.Select(e => e.Name), Is.Unique);
    }
}
