namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>Kraken's error strings, exactly as Kraken spells them (see protocol.md §7).</summary>
internal static class KrakenErrors
{
    public const string InvalidArguments = "EGeneral:Invalid arguments";
    public const string UnknownMethod = "EGeneral:Unknown method";
    public const string InternalError = "EGeneral:Internal error";
    public const string UnknownAssetPair = "EQuery:Unknown asset pair";
    public const string UnknownAsset = "EQuery:Unknown asset";
}
