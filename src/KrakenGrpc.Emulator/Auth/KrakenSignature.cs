using System.Security.Cryptography;
using System.Text;

namespace KrakenGrpc.Emulator.Auth;

/// <summary>
/// Kraken's request signature, checked from the server's side (protocol.md §2):
/// <c>API-Sign = base64(HMAC-SHA512(key = base64decode(secret), message = uri_path || SHA256(nonce_text || body)))</c>,
/// over the exact bytes received. Written from the protocol text, independently of the gateway's signer, so a bug
/// in one cannot hide the same bug in the other.
/// </summary>
internal static class KrakenSignature
{
    /// <summary>HMAC-SHA512 output length: a valid API-Sign decodes to exactly this many bytes.</summary>
    private const int SignatureBytes = 64;

    /// <summary>The signature Kraken expects for this request.</summary>
    /// <param name="secret">The decoded secret (the HMAC key).</param>
    /// <param name="uriPath">The path from <c>/0/private</c> on, without host or query.</param>
    /// <param name="nonceText">The nonce exactly as it appears in the body.</param>
    /// <param name="body">The body bytes as received.</param>
    public static byte[] Compute(ReadOnlySpan<byte> secret, string uriPath, string nonceText, ReadOnlySpan<byte> body)
    {
        using var inner = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        inner.AppendData(Encoding.UTF8.GetBytes(nonceText));
        inner.AppendData(body);
        var digest = inner.GetHashAndReset();

        var path = Encoding.UTF8.GetBytes(uriPath);
        var message = new byte[path.Length + digest.Length];
        path.CopyTo(message, 0);
        digest.CopyTo(message, path.Length);
        return HMACSHA512.HashData(secret, message);
    }

    /// <summary>True when <paramref name="apiSign"/> (the header, base64) is the signature of this request.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, string uriPath, string nonceText, ReadOnlySpan<byte> body, string? apiSign)
    {
        if (string.IsNullOrWhiteSpace(apiSign))
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[SignatureBytes + 3];
        if (!Convert.TryFromBase64String(apiSign.Trim(), presented, out var written) || written != SignatureBytes)
        {
            return false;
        }

        // Constant time, like a real server: how much of a forged signature matches must not show in the timing.
        return CryptographicOperations.FixedTimeEquals(Compute(secret, uriPath, nonceText, body), presented[..written]);
    }
}
