using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KrakenGrpc.Tests.Emulator.Private;

/// <summary>
/// Signed calls to the emulator's private endpoints for one API key: form or JSON bodies, nonces from a counter
/// (or given explicitly), every request signed with <see cref="TestSigner"/> over the exact bytes sent.
/// </summary>
public sealed class PrivateClient(HttpClient http, string apiKey, string secret)
{
    private long _nonce = 1_000;

    public string ApiKey { get; } = apiKey;

    public long NextNonce() => Interlocked.Increment(ref _nonce);

    /// <summary>A form-encoded call with a fresh nonce; parameters as Kraken names them.</summary>
    public Task<JsonElement> PostAsync(string endpoint, params (string Name, string Value)[] parameters) =>
        PostFormAsync(endpoint, NextNonce(), parameters);

    /// <summary>A form-encoded call with the given nonce.</summary>
    public async Task<JsonElement> PostFormAsync(string endpoint, long nonce, params (string Name, string Value)[] parameters)
    {
        var body = Form(nonce, parameters);
        using var response = await SendAsync(endpoint, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded", nonce.ToString(CultureInfo.InvariantCulture));
        return await ReadJsonAsync(response);
    }

    /// <summary>A JSON call: <paramref name="body"/>'s members after the nonce, sent as Kraken's JSON clients do.</summary>
    public async Task<JsonElement> PostJsonAsync(string endpoint, JsonObject body)
    {
        var nonce = NextNonce();
        var document = new JsonObject { ["nonce"] = nonce };
        foreach (var (name, value) in body)
        {
            document[name] = value?.DeepClone();
        }

        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
        using var response = await SendAsync(endpoint, bytes, "application/json", nonce.ToString(CultureInfo.InvariantCulture));
        return await ReadJsonAsync(response);
    }

    /// <summary>A form call whose raw HTTP response the caller reads (RetrieveExport's zip).</summary>
    public Task<HttpResponseMessage> PostRawAsync(string endpoint, params (string Name, string Value)[] parameters)
    {
        var nonce = NextNonce();
        return SendAsync(endpoint, Encoding.UTF8.GetBytes(Form(nonce, parameters)), "application/x-www-form-urlencoded", nonce.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Sends exact bytes, signed for <paramref name="nonceText"/> unless a signature is given.</summary>
    public async Task<HttpResponseMessage> SendAsync(string endpoint, byte[] body, string contentType, string nonceText, string? signature = null, string? key = null)
    {
        var path = "/0/private/" + endpoint;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path[1..], UriKind.Relative))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } },
        };
        request.Headers.TryAddWithoutValidation("API-Key", key ?? ApiKey);
        request.Headers.TryAddWithoutValidation("API-Sign", signature ?? TestSigner.Sign(secret, path, nonceText, body));
        return await http.SendAsync(request);
    }

    /// <summary>A call that must succeed: empty error array; returns <c>result</c>.</summary>
    public async Task<JsonElement> ResultAsync(string endpoint, params (string Name, string Value)[] parameters)
    {
        var json = await PostAsync(endpoint, parameters);
        return Result(endpoint, json);
    }

    public async Task<JsonElement> JsonResultAsync(string endpoint, JsonObject body) => Result(endpoint, await PostJsonAsync(endpoint, body));

    /// <summary>A call Kraken refuses: exactly one error and no result; returns the error string.</summary>
    public async Task<string> ErrorAsync(string endpoint, params (string Name, string Value)[] parameters) => Error(endpoint, await PostAsync(endpoint, parameters));

    public async Task<string> JsonErrorAsync(string endpoint, JsonObject body) => Error(endpoint, await PostJsonAsync(endpoint, body));

    /// <summary>The single error string of a call's answer.</summary>
    public static async Task<string> ErrorFromAsync(Task<JsonElement> call) => Error("call", await call);

    public static JsonElement Result(string endpoint, JsonElement json)
    {
        Assert.That(json.GetProperty("error").GetArrayLength(), Is.Zero, () => $"{endpoint}: {json}");
        return json.GetProperty("result");
    }

    public static string Error(string endpoint, JsonElement json)
    {
        Assert.That(json.TryGetProperty("result", out _), Is.False, () => $"{endpoint}: {json}");
        Assert.That(json.GetProperty("error").GetArrayLength(), Is.EqualTo(1), () => $"{endpoint}: {json}");
        return json.GetProperty("error")[0].GetString()!;
    }

    private static string Form(long nonce, (string Name, string Value)[] parameters)
    {
        var text = new StringBuilder("nonce=").Append(nonce.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in parameters)
        {
            // Kraken reads a raw '+' as a space: send it as %2b, as its docs say.
            text.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }
}
