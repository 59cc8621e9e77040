using System.Reflection;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Tests.Support;

namespace KrakenGrpc.Tests.JsonHttp;

/// <summary>
/// The contract's <c>google.api.http</c> annotations: every RPC has one (an RPC added without one fails here), reads
/// are GETs and writes POSTs with the whole request as the JSON body, as the endpoint catalogue decides for the Kraken
/// endpoint the RPC's comment names, and every route is under <c>/v1/</c> and used once.
/// </summary>
public partial class HttpAnnotationTests
{
    private static IEnumerable<TestCaseData> EveryRpc() =>
        Support.EveryRpc.Methods.Select(m => new TestCaseData(m).SetName($"{m.Service.Name}_{m.Name}_HasAnHttpRoute"));

    [TestCaseSource(nameof(EveryRpc))]
    public void EveryRpc_HasAGetRouteIfItReads_AndAPostWithTheWholeRequestAsBodyIfItWrites(MethodDescriptor method)
    {
        var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        Assert.That(rule, Is.Not.Null, $"{method.FullName} has no option (google.api.http)");

        var (reads, writes) = KindsOfCall(method);
        Assert.Multiple(() =>
        {
            Assert.That(Route(rule!).Path, Does.StartWith("/v1/"));
            if (reads)
            {
                Assert.That((rule!.PatternCase, rule.Body), Is.EqualTo((HttpRule.PatternOneofCase.Get, string.Empty)), "a read is a GET with query parameters");
            }
            var post = reads ? rule!.AdditionalBindings.SingleOrDefault() : rule;
            if (writes)
            {
                Assert.That((post?.PatternCase, post?.Body), Is.EqualTo((HttpRule.PatternOneofCase.Post, "*")), "a write is a POST with a JSON body");
            }
        });
    }

    [Test]
    public void EveryRoute_IsUsedByOneRpcOnly()
    {
        var routes = Support.EveryRpc.Methods
            .Select(m => m.GetOptions()?.GetExtension(AnnotationsExtensions.Http))
            .OfType<HttpRule>()
            .SelectMany(rule => rule.AdditionalBindings.Prepend(rule))
            .Select(Route)
            .ToList();

        Assert.That(routes, Is.Unique);
    }

    private static (string Verb, string Path) Route(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
        HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
        HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
        HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
        HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
        _ => (rule.Custom.Kind, rule.Custom.Path),
    };

    // Whether the RPC reads, writes, or (DepositAddresses, which creates an address when asked) both, by the catalogue
    // row of the Kraken endpoint its comment names. A stream only ever polls, so it reads.
    private static (bool Reads, bool Writes) KindsOfCall(MethodDescriptor method)
    {
        if (method.IsServerStreaming)
        {
            return (true, false);
        }
        var endpoint = KrakenEndpointOf(method);
        var rows = Catalogue.Where(e => e.Method.Method == endpoint.Verb && e.Path == endpoint.Path).ToList();
        Assert.That(rows, Is.Not.Empty, $"{method.FullName} calls {endpoint.Verb} {endpoint.Path}, which the catalogue does not list");
        return (rows.Any(e => !e.Writes), rows.Any(e => e.Writes));
    }

    // Every catalogue row, the write variants outside KrakenEndpoints.All (NewDepositAddress) included.
    private static readonly IReadOnlyList<KrakenEndpoint> Catalogue = typeof(KrakenEndpoints)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(KrakenEndpoint))
        .Select(f => (KrakenEndpoint)f.GetValue(null)!)
        .ToList();

    private static readonly Lazy<Dictionary<string, (string Verb, string Path)>> EndpointsByRpc = new(() =>
        Directory.GetFiles(Repository.PathOf("protos/kraken/spot/v1"), "*.proto")
            .SelectMany(file => RpcWithItsComment().Matches(File.ReadAllText(file)))
            .Select(match => (Rpc: match.Groups["rpc"].Value, Calls: CallsClause().Match(Regex.Replace(match.Groups["comment"].Value, @"\s*//\s*", " "))))
            .Where(rpc => rpc.Calls.Success)
            .ToDictionary(rpc => rpc.Rpc, rpc => (rpc.Calls.Groups["verb"].Value, rpc.Calls.Groups["path"].Value.TrimEnd('.')), StringComparer.Ordinal));

    private static (string Verb, string Path) KrakenEndpointOf(MethodDescriptor method)
    {
        Assert.That(EndpointsByRpc.Value.TryGetValue(method.Name, out var endpoint), Is.True, $"the comment of {method.FullName} names no Kraken endpoint (\"Calls POST /0/private/...\")");
        return endpoint;
    }

    [GeneratedRegex(@"(?<comment>(?:^  //.*\n)+)^  rpc (?<rpc>\w+)\(", RegexOptions.Multiline)]
    private static partial Regex RpcWithItsComment();

    [GeneratedRegex(@"Calls (?<verb>GET|POST|PUT|DELETE) (?<path>/[\w/-]+)")]
    private static partial Regex CallsClause();
}
