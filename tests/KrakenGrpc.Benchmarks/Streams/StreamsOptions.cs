using System.Globalization;

namespace KrakenGrpc.Benchmarks.Streams;

/// <summary>The options of the <c>streams</c> scenario, parsed and bounded.</summary>
internal sealed record StreamsOptions(IReadOnlyList<int> Subscribers, TimeSpan Window, TimeSpan Interval, string? Server)
{
    public const string Usage = "streams [--subscribers 1000,10000] [--seconds 10] [--interval 00:00:01] [--server <KrakenGrpc.Server.dll>]";

    public const int MaxSubscribers = 50_000;

    public static StreamsOptions Parse(IReadOnlyList<string> args)
    {
        IReadOnlyList<int> subscribers = [1_000, 10_000];
        var seconds = 10;
        var interval = TimeSpan.FromSeconds(1);
        string? server = null;
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
                case "--subscribers":
                    subscribers = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => ParseInt(name, n, 1, MaxSubscribers))];
                    if (subscribers.Count == 0)
                    {
                        throw new ArgumentException("--subscribers needs at least one count.");
                    }
                    break;
                case "--seconds":
                    seconds = ParseInt(name, value, 1, 600);
                    break;
                case "--interval":
                    if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out interval) || interval < TimeSpan.FromMilliseconds(100) || interval > TimeSpan.FromMinutes(1))
                    {
                        throw new ArgumentException($"--interval must be a time span from 00:00:00.1 to 00:01:00, was '{value}'.");
                    }
                    break;
                case "--server":
                    server = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        var window = TimeSpan.FromSeconds(seconds);
        if (window < interval * 2)
        {
            throw new ArgumentException("--seconds must cover at least two intervals.");
        }
        return new StreamsOptions(subscribers, window, interval, server);
    }

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} takes whole numbers from {min} to {max}, was '{value}'.");
}
