namespace KrakenGrpc.Server.Hosting;

/// <summary>The <c>Sandbox</c> section: run the embedded Kraken emulator and point the gateway at it.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Start the emulator in-process on a loopback port and use it as <c>Kraken:BaseUrl</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Refuses to start the sandbox on an address other machines could reach (<c>0.0.0.0</c>, <c>*</c>, a LAN IP):
    /// its credentials are published in this repository. No address given means Kestrel's loopback default.
    /// </summary>
    public static void EnsureLoopbackOnly(string? urls)
    {
        foreach (var url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = url.Split("://", 2) is [_, var rest] ? rest : url;
            host = host.Split('/', 2)[0];
            host = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0];
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
            if (!loopback)
            {
                throw new InvalidOperationException(
                    $"--sandbox listens on loopback only, but --urls includes '{url}'. Use http://127.0.0.1:<port> (or localhost / [::1]).");
            }
        }
    }
}
