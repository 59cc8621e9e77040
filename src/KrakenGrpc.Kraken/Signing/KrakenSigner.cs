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
    // A long's decimal text, sign included.
    private const int MaxNonceDigits = 20;

    // Bodies of ordinary calls fit on the stack; a large batch order borrows a pooled buffer instead.
    private const int StackBufferBytes = 1024;

    /// <summary>Signs one request. <paramref name="body"/> must be the exact body bytes, nonce included.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, string uriPath, long nonce, ReadOnlySpan<byte> body)
    {
        // One scratch buffer holds nonce + body for the SHA256, then uri_path + that hash for the HMAC. Copying the body
        // once is cheaper than IncrementalHash, which allocates a hash object and a native context on every call; the
        // static one-shot hashes need contiguous input but allocate nothing.
        var pathLength = Encoding.UTF8.GetByteCount(uriPath);
        var size = Math.Max(MaxNonceDigits + body.Length, pathLength + SHA256.HashSizeInBytes);
        byte[]? rented = null;
        var scratch = size <= StackBufferBytes ? stackalloc byte[StackBufferBytes] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            nonce.TryFormat(scratch, out var nonceLength, provider: CultureInfo.InvariantCulture);
            body.CopyTo(scratch[nonceLength..]);
            Span<byte> inner = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(scratch[..(nonceLength + body.Length)], inner);

            Encoding.UTF8.GetBytes(uriPath, scratch);
            inner.CopyTo(scratch[pathLength..]);
            Span<byte> signature = stackalloc byte[HMACSHA512.HashSizeInBytes];
            HMACSHA512.HashData(secret, scratch[..(pathLength + inner.Length)], signature);
            return Convert.ToBase64String(signature);
        }
        finally
        {
            if (rented is not null)
            {
                // Cleared: a large body may hold a one-time password.
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }
}
