using System.Globalization;
using System.Text.Json;
using KrakenGrpc.Emulator.Json;
using Microsoft.AspNetCore.Http;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// The emulator's own controls for out-of-process users, all under <c>/_emulator/</c> so they never collide with a
/// Kraken path:
/// <list type="bullet">
/// <item><c>POST /_emulator/faults</c> with <c>{"path":"/0/public/Ticker","kind":"status","status":503,"times":2}</c>;
/// kinds: <c>status</c> (+ <c>status</c>, optional <c>body</c>), <c>delay</c> (+ <c>delayMs</c>), <c>malformed</c>,
/// <c>error</c> (+ <c>error</c>, a Kraken error string).</item>
/// <item><c>DELETE /_emulator/faults</c>: drop pending faults.</item>
/// <item><c>GET /_emulator/requests</c>: <c>{"total":N,"counts":{"/0/public/Ticker":3}}</c>;
/// <c>DELETE /_emulator/requests</c> clears the log.</item>
/// <item><c>POST /_emulator/step</c> (optional <c>?count=N</c>): move the market.</item>
/// <item><c>POST /_emulator/oauth/code</c> with <c>{"client_id":"...","api_key":"...","scope":"account.info:basic ...","redirect_uri":"..."}</c>
/// (or <c>"scopes"</c> as a list): <c>{"code":"..."}</c>, an authorization code as the browser authorize step would give.</item>
/// </list>
/// </summary>
internal sealed class ControlEndpoints(EmulatorFaults faults, EmulatorRequestLog requests, EmulatedMarket market, EmulatedOAuth oauth)
{
    public const string Prefix = "/_emulator/";

    public EndpointResponse Handle(string method, string path, string queryString, ReadOnlyMemory<byte> body)
    {
        return (method, path) switch
        {
            ("POST", "/_emulator/faults") => InjectFault(body),
            ("DELETE", "/_emulator/faults") => ClearFaults(),
            ("GET", "/_emulator/requests") => Requests(),
            ("DELETE", "/_emulator/requests") => ClearRequests(),
            ("POST", "/_emulator/step") => Step(queryString),
            ("POST", "/_emulator/oauth/code") => AuthorizationCode(body),
            _ => Problem(StatusCodes.Status404NotFound, "unknown control path or method"),
        };
    }

    private EndpointResponse InjectFault(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var path = root.GetProperty("path").GetString() ?? string.Empty;
            var kind = root.GetProperty("kind").GetString();
            Fault fault = kind switch
            {
                "status" => Fault.Status(root.GetProperty("status").GetInt32(), OptionalString(root, "body")),
                "delay" => Fault.Delay(TimeSpan.FromMilliseconds(root.GetProperty("delayMs").GetInt32())),
                "malformed" => Fault.Malformed(),
                "lost" => Fault.LostAnswer(root.TryGetProperty("status", out var lostStatus) ? lostStatus.GetInt32() : 500),
                "error" => Fault.KrakenError(root.GetProperty("error").GetString() ?? string.Empty),
                _ => throw new ArgumentException("kind must be status, delay, malformed, lost or error"),
            };
            if (root.TryGetProperty("times", out var times))
            {
                fault = fault with { Times = times.GetInt32() };
            }

            faults.Inject(path, fault);
            return Json(StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteString("path", path);
                w.WriteString("kind", kind);
                w.WriteNumber("times", fault.Times);
                w.WriteEndObject();
            });
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private EndpointResponse ClearFaults()
    {
        faults.Clear();
        return Done();
    }

    private EndpointResponse Requests()
    {
        var counts = requests.CountsByPath();
        var total = requests.TotalCount;
        return Json(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", total);
            w.WriteStartObject("counts");
            foreach (var (path, count) in counts)
            {
                w.WriteNumber(path, count);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private EndpointResponse ClearRequests()
    {
        requests.Clear();
        return Done();
    }

    private EndpointResponse Step(string queryString)
    {
        var parameters = RequestParameters.Parse(queryString, null, ReadOnlyMemory<byte>.Empty);
        if (!parameters.TryGetInt("count", 1, 1, 100_000, out var count))
        {
            return Problem(StatusCodes.Status400BadRequest, "count must be an integer from 1 to 100000");
        }

        market.Step(count);
        var steps = market.StepCount;
        var now = market.Now;
        return Json(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("steps", steps);
            w.WriteString("time", now.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
    }

    private EndpointResponse AuthorizationCode(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var scopes = new List<string>();
            if (OptionalString(root, "scope") is { } scope)
            {
                scopes.Add(scope);
            }

            if (root.TryGetProperty("scopes", out var list))
            {
                scopes.AddRange(list.EnumerateArray().Select(e => e.GetString() ?? string.Empty));
            }

            var code = oauth.IssueAuthorizationCode(
                root.GetProperty("client_id").GetString() ?? string.Empty,
                root.GetProperty("api_key").GetString() ?? string.Empty,
                scopes,
                root.GetProperty("redirect_uri").GetString() ?? string.Empty);
            return Json(StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteString("code", code);
                w.WriteEndObject();
            });
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static EndpointResponse Done() => Json(StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("ok", true);
        w.WriteEndObject();
    });

    private static EndpointResponse Problem(int status, string message) => Json(status, w =>
    {
        w.WriteStartObject();
        w.WriteString("problem", message);
        w.WriteEndObject();
    });

    private static EndpointResponse Json(int status, Action<Utf8JsonWriter> write) => new(status, KrakenJson.Document(write));
}
