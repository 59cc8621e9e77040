using System.Text;
using KrakenGrpc.Kraken.Signing;

namespace KrakenGrpc.Tests.Kraken;

/// <summary>Kraken's official signing test vector and the two derived ones (protocol.md §2).</summary>
public class KrakenSignerTests
{
    private static readonly byte[] Secret = Convert.FromBase64String("kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==");

    [TestCase("/0/private/AddOrder", "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
        "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==", TestName = "Sign_KrakensOfficialVector")]
    [TestCase("/0/private/AddOrder", """{"nonce":1616492376594,"ordertype":"limit","pair":"XBTUSD","price":"37500","type":"buy","volume":"1.25"}""",
        "kMkTQfyYJH05IdnWQ9TIqL9Kq+dKqcD5O/TGPPLRwwy1is/YvqEYtMAHf7tXsqwfbLwp7pbzJzWHxzKPnL8rfA==", TestName = "Sign_DerivedJsonVector")]
    [TestCase("/0/private/Balance", "nonce=1616492376594",
        "1nH4vwR+8FHiYh1QT649xXkGd3JR3x0DWkgv3u9Ed/Qqv6KPtgQpEU4m+Emb/VgpEji3j1XNwI+HCbfXxmrTOg==", TestName = "Sign_DerivedBalanceVector")]
    public void Sign_MatchesTheVector(string uriPath, string body, string expected)
    {
        Assert.That(KrakenSigner.Sign(Secret, uriPath, 1616492376594, Encoding.UTF8.GetBytes(body)), Is.EqualTo(expected));
    }

    [Test]
    public void Sign_ChangesWhenOneByteOfTheBodyChanges()
    {
        var original = KrakenSigner.Sign(Secret, "/0/private/Balance", 1, "nonce=1"u8);
        var altered = KrakenSigner.Sign(Secret, "/0/private/Balance", 1, "nonce=2"u8);

        Assert.That(altered, Is.Not.EqualTo(original));
    }
}
