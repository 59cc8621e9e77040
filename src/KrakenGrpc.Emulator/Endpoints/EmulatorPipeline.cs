using System.Text;
using KrakenGrpc.Emulator.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace KrakenGrpc.Emulator.Endpoints;

/// <summary>
/// The one request handler behind Kestrel: control paths aside, every request is read whole, logged, checked
/// against pending faults, then dispatched through the <see cref="EndpointTable"/>.
/// </summary>
internal sealed class EmulatorPipeline(
    EndpointTable endpoints,
    ControlEndpoints control,
    EmulatorFaults faults,
    EmulatorRequestLog log,
    TimeProvider clock,
    CancellationToken stopping)
{
    // Far above any Kraken request (AddOrderBatch of 15 orders is a few KiB).

    private const string JsonContentType = "application/json; charset=utf-8";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var queryString = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        ReadOnlyMemory<byte> body;
        try
        {
            body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Above KrakenEmulatorOptions.MaxRequestBodyBytes (Kestrel's limit): refused before anything is recorded or
            // done, with a proxy's HTML page as Kraken's edge would send (its exact answer is not documented).
            await WriteAsync(context, new EndpointResponse(StatusCodes.Status413PayloadTooLarge, "<html><body><h1>413 Request Entity Too Large</h1></body></html>"u8.ToArray()), "text/html").ConfigureAwait(false);
            return;
        }

        if (path.StartsWith(ControlEndpoints.Prefix, StringComparison.Ordinal))
        {
            await WriteAsync(context, control.Handle(request.Method, path, queryString, body), JsonContentType).ConfigureAwait(false);
            return;
        }

        log.Add(new RecordedRequest(clock.GetUtcNow(), request.Method, path, queryString, body, CopyHeaders(request.Headers)));

        var fault = faults.TakeNext(path);
        switch (fault?.Kind)
        {
            case FaultKind.HttpStatus:
                var page = fault.Body ?? $"<html><body><h1>{fault.StatusCode} {ReasonPhrases.GetReasonPhrase(fault.StatusCode)}</h1></body></html>";
                await WriteAsync(context, new EndpointResponse(fault.StatusCode, Encoding.UTF8.GetBytes(page)), "text/html; charset=utf-8").ConfigureAwait(false);
                return;

            case FaultKind.KrakenError:
                await WriteAsync(context, EndpointResponse.KrakenError(fault.Error!), JsonContentType).ConfigureAwait(false);
                return;

            case FaultKind.Delay:
                using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    try
                    {
                        await Task.Delay(fault.Duration, clock, cancel.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up (its timeout) or the emulator is stopping: nobody is waiting for an answer.
                        return;
                    }
                }

                break;
        }

        var response = Dispatch(new EmulatorRequest(
            request.Method,
            path,
            RequestParameters.Parse(queryString, request.ContentType, body),
            body,
            request.Headers));

        if (fault?.Kind == FaultKind.MalformedJson)
        {
            // Cut the real answer in half: the client gets HTTP 200 and JSON it cannot parse.
            response = new EndpointResponse(StatusCodes.Status200OK, response.Body[..Math.Max(1, response.Body.Length / 2)]);
        }
        else if (fault?.Kind == FaultKind.LostAnswer)
        {
            // The work is done; only the answer is replaced, like a proxy failing after Kraken acted.
            response = new EndpointResponse(fault.StatusCode, Encoding.UTF8.GetBytes($"<html><body><h1>{fault.StatusCode}</h1></body></html>"));
        }

        await WriteAsync(context, response, response.ContentType ?? JsonContentType).ConfigureAwait(false);
    }

    private EndpointResponse Dispatch(EmulatorRequest request)
    {
        var handler = endpoints.Find(request.Method, request.Path);
        if (handler is null)
        {
            // Kraken answers an unknown path with HTTP 404 and this envelope.
            return new EndpointResponse(StatusCodes.Status404NotFound, KrakenJson.Errors(KrakenErrors.UnknownMethod));
        }

        try
        {
            return handler(request);
        }
#pragma warning disable CA1031 // A bug in one handler must still produce a Kraken-shaped answer, not a dropped connection.
        catch (Exception)
#pragma warning restore CA1031
        {
            return new EndpointResponse(StatusCodes.Status500InternalServerError, KrakenJson.Errors(KrakenErrors.InternalError));
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values.ToString();
        }

        return copy;
    }

    private static async Task WriteAsync(HttpContext context, EndpointResponse response, string contentType)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = contentType;
        foreach (var (name, value) in response.Headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
