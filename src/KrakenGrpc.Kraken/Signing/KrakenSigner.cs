using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KrakenGrpc.Kraken.Signing;

/// <summary>
/// Kraken's request signature: <c>API-Sign = base64(HMAC-SHA512(base64decode(secret), uri_path + SHA256(nonce + body)))</c>,
/// computed over the exact bytes that are sent (protocol.md §2).
/// </summary>
public static class KrakenSigner
{
    /// <summary>Signs one request. <paramref name="body"/> must be the exact body bytes, nonce included.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, string uriPath, long nonce, ReadOnlySpan<byte> body)
    {
        Span<byte> nonceText = stackalloc byte[20];
        nonce.TryFormat(nonceText, out var nonceLength, provider: CultureInfo.InvariantCulture);

        // SHA256(nonce + body) without concatenating the two into a new buffer.
        Span<byte> inner = stackalloc byte[SHA256.HashSizeInBytes];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(nonceText[..nonceLength]);
            sha.AppendData(body);
            sha.GetHashAndReset(inner);
        }

        var pathLength = Encoding.UTF8.GetByteCount(uriPath);
        var rented = ArrayPool<byte>.Shared.Rent(pathLength + inner.Length);
        try
        {
            var message = rented.AsSpan(0, pathLength + inner.Length);
            Encoding.UTF8.GetBytes(uriPath, message);
            inner.CopyTo(message[pathLength..]);

            Span<byte> signature = stackalloc byte[HMACSHA512.HashSizeInBytes];
            HMACSHA512.HashData(secret, message, signature);
            return Convert.ToBase64String(signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
