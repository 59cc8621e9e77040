# syntax=docker/dockerfile:1
# The gateway's image. Build from the repository root:
#   docker build -t krakengrpc .
#   docker run --rm -p 8080:8080 --env-file gateway.env krakengrpc   (Kraken__ApiKey=..., Kraken__ApiSecret=...)
# CI does not build this image (it has no Docker engine). test.sh runs the publish command below and checks that
# this file still contains it word for word, so the two cannot drift. docs/DEPLOYING.md explains the settings.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src

# Restore from the project files alone. Docker caches this layer until a project file or a package version
# changes, so a source edit does not download the packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/KrakenGrpc.Server/KrakenGrpc.Server.csproj src/KrakenGrpc.Server/
COPY src/KrakenGrpc.Contracts/KrakenGrpc.Contracts.csproj src/KrakenGrpc.Contracts/
COPY src/KrakenGrpc.Kraken/KrakenGrpc.Kraken.csproj src/KrakenGrpc.Kraken/
COPY src/KrakenGrpc.Emulator/KrakenGrpc.Emulator.csproj src/KrakenGrpc.Emulator/
RUN dotnet restore src/KrakenGrpc.Server/KrakenGrpc.Server.csproj

# The health probe. The runtime image has no grpc_health_probe and no curl. Downloading grpc_health_probe would
# add a third-party binary and a checksum to keep up to date, and a TCP check would pass while gRPC is broken.
# So the probe is a small program on the base library alone: it calls grpc.health.v1.Health/Check over h2c and
# exits 0 only on SERVING. It needs no package, so this step needs no network. It comes before the sources so
# that a source edit does not rebuild it. (COPY <<EOF needs BuildKit, Docker's default builder since 23.0.)
WORKDIR /probe
COPY <<'EOF' HealthProbe.csproj
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
</Project>
EOF
COPY <<'EOF' Program.cs
// Exits 0 when grpc.health.v1.Health/Check answers SERVING, 1 otherwise (what Docker's HEALTHCHECK reads).
// A hand-written gRPC call: HttpClient speaks HTTP/2 without TLS (h2c) with prior knowledge, and both messages
// are tiny, so no gRPC package is needed.
using System.Net;
using System.Net.Http.Headers;

try
{
    var address = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:8080");
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/grpc.health.v1.Health/Check"))
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        // One gRPC frame: flag 0 (not compressed), length 0: an empty HealthCheckRequest, i.e. the whole server.
        Content = new ByteArrayContent(new byte[5]),
    };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
    request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
    using var response = await http.SendAsync(request);
    var body = await response.Content.ReadAsByteArrayAsync();
    // A failed call may carry grpc-status in the headers alone ("trailers-only"); a good one in the trailers.
    var status = response.TrailingHeaders.TryGetValues("grpc-status", out var s) || response.Headers.TryGetValues("grpc-status", out s)
        ? s.First() : "none";
    // HealthCheckResponse { status: SERVING (1) } is field 1, varint 1: bytes 08 01 after the 5-byte frame header.
    byte[] serving = [0, 0, 0, 0, 2, 0x08, 0x01];
    if (response.StatusCode == HttpStatusCode.OK && status == "0" && body.AsSpan().SequenceEqual(serving))
    {
        return 0;
    }
    Console.Error.WriteLine($"not serving: HTTP {(int)response.StatusCode}, grpc-status {status}, body {Convert.ToHexString(body)}");
    return 1;
}
catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
{
    Console.Error.WriteLine($"not serving: {e.Message}");
    return 1;
}
EOF
RUN dotnet publish -c Release -o /healthprobe

WORKDIR /src
# KrakenGrpc.Contracts compiles ../../protos, so the protos come in with the sources. .dockerignore keeps bin/ and
# obj/ out: a host's obj/ would overwrite the restore above.
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/KrakenGrpc.Server -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
# The published gateway and the probe; no sources, no SDK. The emulator's assembly is part of the publish output
# (it backs --sandbox), but the sandbox only starts on request and only on a loopback address.
COPY --from=build /app .
COPY --from=build /healthprobe /healthprobe

# h2c gRPC on every interface of the container. The base image's ASPNETCORE_HTTP_PORTS is cleared so that
# ASP.NET Core does not warn that URLS overrides it. The Prometheus scrape endpoint (/metrics, HTTP/1.1) listens on
# 9464 of every interface too: its default, loopback, cannot be reached from outside a container.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS="" \
    Metrics__Url=http://+:9464
EXPOSE 8080 9464

# The gateway's health service reports SERVING while the process serves gRPC; it does not ask Kraken, so a
# Kraken outage does not mark every replica unhealthy at once. Listening elsewhere than 8080? Override the
# probe's address: docker run --health-cmd 'dotnet /healthprobe/HealthProbe.dll http://127.0.0.1:<port>'.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["dotnet", "/healthprobe/HealthProbe.dll", "http://127.0.0.1:8080"]

# The aspnet images define the non-root user "app" and its uid in APP_UID.
USER $APP_UID
ENTRYPOINT ["dotnet", "KrakenGrpc.Server.dll"]
