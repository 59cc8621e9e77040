using System.Globalization;
using System.Text.RegularExpressions;

namespace KrakenGrpc.Tests.Observability;

/// <summary>One sample of a Prometheus scrape: <c>name{label="value",...} value</c>.</summary>
internal sealed record ScrapeSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads the Prometheus text format well enough to find series by name and labels.</summary>
internal static partial class ScrapeText
{
    public static List<ScrapeSample> Parse(string text) =>
    [
        .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => Sample().Match(line))
            .Where(match => match.Success)
            .Select(match => new ScrapeSample(
                match.Groups["name"].Value,
                Label().Matches(match.Groups["labels"].Value).ToDictionary(label => label.Groups["key"].Value, label => label.Groups["value"].Value),
                double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture))),
    ];

    /// <summary>The samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    public static IEnumerable<ScrapeSample> Series(this IEnumerable<ScrapeSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var value) && value == l.Value));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)""")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}

