using System.Globalization;

namespace KrakenGrpc.Benchmarks.Load;

/// <summary>The options of the <c>load</c> scenario, parsed and bounded.</summary>
internal sealed record LoadOptions(IReadOnlyList<int> Concurrency, TimeSpan Window, TimeSpan WarmUp, string? Server, bool PrivateLane, IReadOnlyList<string> GatewaySettings)
{
    public const string Usage = "load [--concurrency 1,32,128] [--seconds 10] [--warmup 3] [--private true|false] [--server <KrakenGrpc.Server.dll>] [--gateway-setting --Key=value]...";

    public const int MaxConcurrency = 2_000;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        IReadOnlyList<int> concurrency = [1, 32, 128];
        var seconds = 10;
        var warmUp = 3;
        var privateLane = true;
        string? server = null;
        List<string> gatewaySettings = [];
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }
            var value = args[++i];
            switch (name)
            {
                case "--concurrency":
                    concurrency = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => ParseInt(name, n, 1, MaxConcurrency))];
                    if (concurrency.Count == 0)
                    {
                        throw new ArgumentException("--concurrency needs at least one count.");
                    }
                    break;
                case "--seconds":
                    seconds = ParseInt(name, value, 1, 600);
                    break;
                case "--warmup":
                    warmUp = ParseInt(name, value, 0, 60);
                    break;
                case "--private":
                    privateLane = bool.TryParse(value, out var on) ? on : throw new ArgumentException($"--private takes true or false, was '{value}'.");
                    break;
                case "--server":
                    server = value;
                    break;
                case "--gateway-setting":
                    // Added to every gateway's command line, to see what a setting costs or saves.
                    gatewaySettings.Add(value);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        return new LoadOptions(concurrency, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmUp), server, privateLane, gatewaySettings);
    }

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} takes whole numbers from {min} to {max}, was '{value}'.");
}
