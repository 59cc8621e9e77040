namespace KrakenGrpc.Server.Hosting;

/// <summary>The <c>Sandbox</c> section: run the embedded Kraken emulator and point the gateway at it.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Start the emulator in-process on a loopback port and use it as <c>Kraken:BaseUrl</c>.</summary>
    public bool Enabled { get; set; }
}
