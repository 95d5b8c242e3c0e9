# Headroom.Gateway: `headroom proxy` in a container.
#   docker build -t headroom .
#   docker run -p 8787:8787 -e HEADROOM__ADMINTOKEN=... headroom
# Build context is the repository root (see .dockerignore).

# 1. Build and publish.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# NuGet.config lists a local offline source used on the dev machines; an empty directory keeps restore happy.
RUN mkdir -p /opt/nuget/packages
COPY . .
RUN dotnet publish gateway/Headroom.Gateway/Headroom.Gateway.csproj -c Release -o /app --nologo

# 2. Runtime: ASP.NET Core, ffmpeg for media sampling, curl for the healthcheck.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /home/headroom --uid 10001 headroom \
 && mkdir -p /data && chown headroom:headroom /data
WORKDIR /app
COPY --from=build /app .
USER headroom
# Embedded store, event spool and tenant salt live in /data (mount a volume);
# set HEADROOM__STORE=postgres:... to use PostgreSQL instead.
ENV HEADROOM__DATADIRECTORY=/data \
    HEADROOM__PORT=8787 \
    DOTNET_gcServer=0
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8787/healthz || exit 1
ENTRYPOINT ["/app/headroom"]
CMD ["proxy", "--host", "0.0.0.0"]
