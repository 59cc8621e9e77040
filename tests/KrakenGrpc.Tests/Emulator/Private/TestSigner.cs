using System.Security.Cryptography;
using System.Text;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// The tests' own Kraken request signer, written from protocol.md §2 and independent of the gateway's:
/// <c>base64(HMAC-SHA512(base64decode(secret), uri_path + SHA256(nonce + body)))</c>.
/// </summary>
internal static class TestSigner
{
    public static string Sign(string secretBase64, string uriPath, string nonce, byte[] body)
    {
        var inner = SHA256.HashData([.. Encoding.UTF8.GetBytes(nonce), .. body]);
        byte[] message = [.. Encoding.UTF8.GetBytes(uriPath), .. inner];
        return Convert.ToBase64String(HMACSHA512.HashData(Convert.FromBase64String(secretBase64), message));
    }
}
