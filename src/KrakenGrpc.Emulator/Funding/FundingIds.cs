using System.Globalization;
using System.Text;
using KrakenGrpc.Emulator.Market;

namespace KrakenGrpc.Emulator.Funding;

/// <summary>
/// Identifiers of funding records in Kraken's shapes, derived from a stable seed so an account always gets the same
/// addresses: funding reference ids ("FTQcuak-V6Za8qrWnhzTx67yYHz8Tg"), deposit addresses per network, transaction
/// ids, IBANs. Nothing here is a real address: the checksums are not valid.
/// </summary>
internal static class FundingIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string Bech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const string Hex = "0123456789abcdef";
    private const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A funding reference id: "F", six characters, a dash, 22 more (the examples' refid shape).</summary>
    public static string RefId(ulong scope, ulong sequence)
    {
        var stream = new Stream(scope ^ KrakenIds.SplitMix(sequence ^ 0xF0F0F0F0UL));
        return "F" + stream.Text(Base62, 6) + "-" + stream.Text(Base62, 22);
    }

    /// <summary>A deposit address (or, for Lightning, an invoice) of the given format.</summary>
    public static string Address(AddressKind kind, ulong seed)
    {
        var stream = new Stream(seed);
        return kind switch
        {
            AddressKind.Bitcoin => "bc1q" + stream.Text(Bech32, 38),
            AddressKind.Lightning => "lnbc" + stream.Text("123456789", 1) + "0u1p" + stream.Text(Bech32, 180),
            AddressKind.Ethereum => "0x" + stream.Text(Hex, 40),
            AddressKind.Solana => stream.Text(Base58, 44),
            AddressKind.Polkadot => "1" + stream.Text(Base58, 46),
            AddressKind.Tron => "T" + stream.Text(Base58, 33),
            _ => Iban(stream),
        };
    }

    /// <summary>A transaction id in the network's form (a bank reference for fiat).</summary>
    public static string TxId(AddressKind kind, ulong seed)
    {
        var stream = new Stream(seed ^ 0x5A5A5A5A5A5AUL);
        return kind switch
        {
            AddressKind.Ethereum or AddressKind.Polkadot => "0x" + stream.Text(Hex, 64),
            AddressKind.Solana => stream.Text(Base58, 88),
            AddressKind.Bank => stream.Text(UpperAlphanumeric, 16),
            _ => stream.Text(Hex, 64),
        };
    }

    /// <summary>A German-looking IBAN ("DE" + two check digits + 18 digits), the address of a SEPA withdrawal key.</summary>
    private static string Iban(Stream stream) =>
        "DE" + (10 + (int)(stream.Next() % 90)).ToString(CultureInfo.InvariantCulture) + stream.Text("0123456789", 18);

    /// <summary>A SplitMix64 sequence: characters drawn from a seed, identical for identical seeds.</summary>
    private sealed class Stream(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            _state += 0x9E3779B97F4A7C15UL;
            return KrakenIds.SplitMix(_state);
        }

        public string Text(string alphabet, int length)
        {
            var text = new StringBuilder(length);
            for (var i = 0; i < length; i++)
            {
                text.Append(alphabet[(int)(Next() % (ulong)alphabet.Length)]);
            }

            return text.ToString();
        }
    }
}
