using KrakenGrpc.Kraken.Telemetry;
using Microsoft.AspNetCore.Connections;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KrakenGrpc.Server.Hosting;

/// <summary>
/// OpenTelemetry for the gateway: the gateway's own meter and spans (<see cref="KrakenTelemetry.Name"/>), ASP.NET Core
/// and HttpClient instrumentation; a Prometheus scrape endpoint at <c>/metrics</c> on an address of its own
/// (<c>Metrics:Url</c>), and OTLP export of metrics and traces when an endpoint is configured (<c>Otlp:Endpoint</c> or
/// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
/// <para>
/// No instrumentation records request headers or bodies (API-Key, API-Sign, bearer tokens, signed parameters), and
/// the HTTP instrumentations redact query-string values in the URLs they record.
/// </para>
/// </summary>
internal static partial class Observability
{
    /// <summary>The configuration key of the scrape address; empty turns the endpoint off.</summary>
    public const string MetricsUrlKey = "Metrics:Url";

    /// <summary>Loopback: metrics are for a local agent or a sidecar unless the operator publishes them.</summary>
    public const string DefaultMetricsUrl = "http://127.0.0.1:9464";

    /// <summary>The gateway's own name for the OTLP endpoint.</summary>
    public const string OtlpEndpointKey = "Otlp:Endpoint";

    // The OpenTelemetry SDK reads its standard settings from configuration, environment variables included.
    private const string StandardOtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ServiceNameKey = "OTEL_SERVICE_NAME";
    private const string DefaultServiceName = "kraken-grpc";
    private const string MetricsEndpointName = "Metrics";

    /// <summary>Registers the meters, spans and exporters the configuration asks for, and the scrape address.</summary>
    public static void AddObservability(this WebApplicationBuilder builder)
    {
        var metricsUrl = MetricsUrl(builder.Configuration);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            builder.Configuration.AddInMemoryCollection([new(StandardOtlpEndpointKey, builder.Configuration[OtlpEndpointKey])]);
        }
        var exportsOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[StandardOtlpEndpointKey]);
        if (metricsUrl is null && !exportsOtlp)
        {
            return;
        }

        var openTelemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration[ServiceNameKey] ?? DefaultServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(KrakenTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (metricsUrl is not null)
                {
                    metrics.AddPrometheusExporter();
                }
                if (exportsOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (exportsOtlp)
        {
            // Spans are made only when something exports them.
            openTelemetry.WithTracing(tracing => tracing
                .AddSource(KrakenTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter());
        }

        if (metricsUrl is not null)
        {
            builder.AddHttp1Endpoint(MetricsEndpointName, metricsUrl);
            // Connections to the scrape address are marked, so /metrics answers there only, whatever the port (0 too).
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigurationLoader?.Endpoint(MetricsEndpointName, endpoint =>
                endpoint.ListenOptions.Use(next => connection =>
                {
                    connection.Features.Set(MetricsConnection.Instance);
                    return next(connection);
                })));
        }
    }

    /// <summary>
    /// Serves <c>/metrics</c> on the scrape address, and nothing else there: the API stays on its own addresses, and
    /// the scrape endpoint is not on theirs.
    /// </summary>
    public static void MapMetricsEndpoint(this WebApplication app)
    {
        var metricsUrl = MetricsUrl(app.Configuration);
        if (metricsUrl is null)
        {
            return;
        }

        app.MapWhen(context => context.Features.Get<MetricsConnection>() is not null, scrape =>
        {
            scrape.UseOpenTelemetryPrometheusScrapingEndpoint();
            scrape.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        LogMetricsEndpoint(app.Logger, metricsUrl);
    }

    // Absent: the default address. Empty: off.
    private static string? MetricsUrl(IConfiguration configuration) => configuration[MetricsUrlKey] switch
    {
        null => DefaultMetricsUrl,
        var url when string.IsNullOrWhiteSpace(url) => null,
        var url => url.Trim(),
    };

    /// <summary>Marks a connection accepted on the scrape address.</summary>
    private sealed class MetricsConnection
    {
        public static readonly MetricsConnection Instance = new();
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Prometheus metrics are served at /metrics on {MetricsUrl} (Metrics:Url; empty turns them off)")]
    private static partial void LogMetricsEndpoint(ILogger logger, string metricsUrl);
}
