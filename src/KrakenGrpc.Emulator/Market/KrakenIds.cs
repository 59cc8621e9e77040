using System.Text;

namespace KrakenGrpc.Emulator.Market;

/// <summary>
/// Kraken-style identifiers ("TGBB7L-HT5LX-J3BZ4A": a type letter and 5+5+6 characters), derived from a stable
/// source so the same trade always gets the same id. Order ("O") and ledger ("L") ids of a later paper account
/// can come from here too.
/// </summary>
internal static class KrakenIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The public trade id PostTrade shows for trade <paramref name="tradeId"/> of <paramref name="pairKey"/>.</summary>
    public static string Trade(string pairKey, long tradeId) => Make('T', Fnv1a(pairKey), (ulong)tradeId);

    /// <summary>A stable 64-bit scope for ids derived from <paramref name="text"/> (an API key, a pair key).</summary>
    public static ulong Scope(string text) => Fnv1a(text);

    public static string Make(char type, ulong scope, ulong sequence)
    {
        var high = SplitMix(scope ^ SplitMix(sequence));
        var low = SplitMix(high ^ sequence);
        var text = new StringBuilder(19);
        text.Append(type);
        for (var i = 0; i < 16; i++)
        {
            var source = i < 8 ? high >> (i * 5) : low >> ((i - 8) * 5);
            text.Append(Alphabet[(int)(source & 31)]);
            if (i == 4 || i == 9)
            {
                text.Append('-');
            }
        }

        return text.ToString();
    }

    /// <summary>One SplitMix64 step: a well-mixed 64-bit value from any input (addresses, hashes and ids derive from it).</summary>
    public static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
