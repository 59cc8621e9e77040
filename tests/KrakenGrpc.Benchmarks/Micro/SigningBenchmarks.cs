using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KrakenGrpc.Kraken.Requests;
using KrakenGrpc.Kraken.Signing;

namespace KrakenGrpc.Benchmarks.Micro;

/// <summary>
/// Signing one private request (Kraken's official AddOrder vector) with <see cref="KrakenSigner"/>, against the
/// floor: the same two hashes over already contiguous inputs with the static one-shot APIs, and the same base64 text
/// out. The preparation of an attempt (form encoding with the nonce, UTF-8 bytes, signature) is measured beside them.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class SigningBenchmarks
{
    private const string UriPath = "/0/private/AddOrder";
    private const long Nonce = 1616492376594;
    private const string ExpectedSignature = "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==";

    private static readonly byte[] Secret = Convert.FromBase64String("kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==");

    private readonly KrakenParameters _parameters = new KrakenParameters()
        .Add("ordertype", "limit").Add("pair", "XBTUSD").Add("price", "37500").Add("type", "buy").Add("volume", "1.25");

    private byte[] _body = [];
    private byte[] _nonceAndBody = [];
    private byte[] _pathAndHash = [];

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes(KrakenRequestEncoder.EncodeForm(_parameters, Nonce));
        _nonceAndBody = [.. Encoding.ASCII.GetBytes(Nonce.ToString(CultureInfo.InvariantCulture)), .. _body];
        // The floor gets the path already in bytes with room for the hash: only the hashing is left to do.
        _pathAndHash = [.. Encoding.UTF8.GetBytes(UriPath), .. new byte[SHA256.HashSizeInBytes]];

        // Every benchmark must produce Kraken's expected signature, or the comparison means nothing.
        foreach (var (name, signature) in new[] { ("raw", RawHashes()), ("signer", Signer()), ("encode+sign", EncodeAndSign()) })
        {
            if (signature != ExpectedSignature)
            {
                throw new InvalidOperationException($"{name} produced {signature}, not Kraken's test vector {ExpectedSignature}.");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "SHA256 + HMAC-SHA512 one-shot (floor)")]
    [BenchmarkCategory("Signing")]
    public string RawHashes()
    {
        SHA256.HashData(_nonceAndBody, _pathAndHash.AsSpan(_pathAndHash.Length - SHA256.HashSizeInBytes));
        Span<byte> signature = stackalloc byte[HMACSHA512.HashSizeInBytes];
        HMACSHA512.HashData(Secret, _pathAndHash, signature);
        return Convert.ToBase64String(signature);
    }

    [Benchmark(Description = "KrakenSigner.Sign")]
    [BenchmarkCategory("Signing")]
    public string Signer() => KrakenSigner.Sign(Secret, UriPath, Nonce, _body);

    [Benchmark(Description = "EncodeForm + UTF-8 + Sign (one attempt)")]
    [BenchmarkCategory("Signing")]
    public string EncodeAndSign()
    {
        // As KrakenSigningHandler prepares each attempt of a form-encoded private call.
        var body = Encoding.UTF8.GetBytes(KrakenRequestEncoder.EncodeForm(_parameters, Nonce));
        return KrakenSigner.Sign(Secret, UriPath, Nonce, body);
    }
}
