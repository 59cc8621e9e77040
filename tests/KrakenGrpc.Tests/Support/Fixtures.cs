namespace KrakenGrpc.Tests.Support;

/// <summary>
/// Kraken's documented example responses (<c>../shared/kraken/fixtures/docs/*.json</c>, beside the repository),
/// read as the exact bytes the documentation shows.
/// </summary>
public static class Fixtures
{
    /// <summary>The full path of a fixture: <c>Path("Ticker")</c> or <c>Path("Ticker.json")</c>.</summary>
    public static string Path(string name) =>
        Repository.SharedKraken(System.IO.Path.Combine("fixtures", "docs", System.IO.Path.HasExtension(name) ? name : name + ".json"));

    /// <summary>The exact bytes of a fixture.</summary>
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));
}
