using Headroom.Compressors.Spans;
using Headroom.Provenance;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;

namespace Headroom.Bench.Provenance;

/// <summary>Realistic request event streams and the store selection shared by the provenance suites.</summary>
internal static class ProvenanceBenchData
{
    /// <summary>`sqlite` (a file under /tmp), `postgres` (HEADROOM_BENCH_POSTGRES or HEADROOM_TEST_POSTGRES) or a full store spec.</summary>
    public static string ResolveSpec(string backend, string name) => backend switch
    {
        "sqlite" => "sqlite:" + Path.Combine(Path.GetTempPath(), $"headroom-bench-{name}.db"),
        "postgres" => "postgres:" + (Environment.GetEnvironmentVariable("HEADROOM_BENCH_POSTGRES") is { Length: > 0 } b ? b
            : Environment.GetEnvironmentVariable("HEADROOM_TEST_POSTGRES") is { Length: > 0 } t ? t
            : throw new InvalidOperationException("Set HEADROOM_BENCH_POSTGRES (an Npgsql connection string) to benchmark PostgreSQL.")) + $";Search Path=hr_bench_{name}",
        _ => backend,
    };

    /// <summary>The same database without inline projections, to see what the projection costs.</summary>
    public static async Task<IEventStore> OpenRawAsync(string spec)
    {
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        if (spec.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            var database = await Headroom.Provenance.EventStore.Sqlite.SqliteDatabase.OpenAsync(spec["sqlite:".Length..], logger, CancellationToken.None).ConfigureAwait(false);
            return new Headroom.Provenance.EventStore.Sqlite.SqliteEventStore(database, [], TimeProvider.System);
        }

        var marten = await Headroom.Provenance.EventStore.Marten.MartenDatabase.OpenAsync(spec["postgres:".Length..], [], [], TimeProvider.System, logger, CancellationToken.None).ConfigureAwait(false);
        return new Headroom.Provenance.EventStore.Marten.MartenEventStore(marten);
    }

    /// <summary>The CPU clock of the PostgreSQL server behind <paramref name="spec"/> when it runs on this machine; null for SQLite or a remote server.</summary>
    public static async Task<ServerCpuClock?> ServerClockAsync(string spec)
    {
        if (!spec.StartsWith("postgres:", StringComparison.Ordinal))
        {
            return null;
        }

        await using var connection = new Npgsql.NpgsqlConnection(spec["postgres:".Length..]);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new Npgsql.NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return ServerCpuClock.ForBackend((int)(await command.ExecuteScalarAsync().ConfigureAwait(false))!);
    }

    /// <summary>Removes what a throwaway run created: the SQLite file, or the PostgreSQL schema.</summary>
    public static async Task DropAsync(string spec)
    {
        if (spec.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            foreach (var suffix in (ReadOnlySpan<string>)["", "-wal", "-shm"])
            {
                File.Delete(spec["sqlite:".Length..] + suffix);
            }

            return;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(spec["postgres:".Length..]);
        var schema = builder.SearchPath!;
        builder.SearchPath = null;
        await using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public static ProvenanceOptions Options => new() { RunAsyncProjections = false, SpoolDirectory = Path.Combine(Path.GetTempPath(), "headroom-bench-spool") };

    /// <summary>
    /// One request as the gateway records it: one <see cref="RequestCompleted"/> and one retrieval (2 events,
    /// ≈ 1.4 KB of JSON) as one stream append; <paramref name="legacy"/> gives the four events a request was
    /// before (received, composed, upstream completed, retrieval).
    /// </summary>
    public static StreamAppend Request(string requestId, int n, bool legacy = false)
    {
        if (!legacy)
        {
            ProvenanceEvent[] one =
            [
                new RetrievalServed { RequestId = requestId, Hash = "0123456789abcdef01234567", Found = true, Bytes = 36000, Via = "tool" },
                new RequestCompleted
                {
                    RequestId = requestId,
                    SessionId = "sess-" + (n % 50),
                    Provider = "anthropic",
                    Model = n % 3 == 0 ? "claude-opus-4-1" : "claude-sonnet-4-5",
                    Route = "/v1/messages",
                    Stream = true,
                    Blocks = Blocks(n),
                    Status = 200,
                    Usage = new TokenUsage { InputTokens = 40, OutputTokens = 300, CacheReadTokens = 12000, CacheWrite5mTokens = 800 },
                    TtfbMs = 420,
                    TotalMs = 3100,
                    OverheadMs = 0.7,
                    Accounting = new RequestAccounting { TokensSaved = 8300, BilledUsd = 0.0123m, NoGatewayUsd = 0.05m, CompressionSavedUsd = 0.03m, CachingSavedUsd = 0.0077m, Verdict = "hit", CacheCheck = "consistent", Retrievals = 1 },
                },
            ];
            return new StreamAppend(requestId, ExpectedVersion.Any, one.Select(EventSerializer.ToNewEvent).ToList());
        }

        ProvenanceEvent[] events =
        [
            new RequestReceived { RequestId = requestId, SessionId = "sess-" + (n % 50), Provider = "anthropic", Model = n % 3 == 0 ? "claude-opus-4-1" : "claude-sonnet-4-5", Route = "/v1/messages", Stream = true },
            new ContextComposed
            {
                RequestId = requestId,
                Blocks = Blocks(n),
            },
            new UpstreamCompleted { RequestId = requestId, Status = 200, Usage = new TokenUsage { InputTokens = 40, OutputTokens = 300, CacheReadTokens = 12000, CacheWrite5mTokens = 800 }, TtfbMs = 420, TotalMs = 3100, OverheadMs = 0.7 },
            new RetrievalServed { RequestId = requestId, Hash = "0123456789abcdef01234567", Found = true, Bytes = 36000, Via = "tool" },
        ];
        return new StreamAppend(requestId, ExpectedVersion.Any, events.Select(EventSerializer.ToNewEvent).ToList());
    }

    private static ContextBlock[] Blocks(int n) =>
    [
        new ContextBlock { Kind = "text", Role = "user", Message = 0, Block = 0, TokensBefore = 420, TokensAfter = 420 },
        new ContextBlock { Kind = "tool_result", Role = "user", Message = 4, Block = 0, Tool = "Bash", ToolUseId = "toolu_" + n, Command = "npm test", TokensBefore = 9000, TokensAfter = 700, Compressor = "log", Hash = "0123456789abcdef01234567", Spans = ContextBlock.SpansFrom([new Span(SpanKind.Kept, 0, 800, 0, 800), new Span(SpanKind.Marker, 800, 900, 800, 36000), new Span(SpanKind.Kept, 900, 2600, 36000, 37700)]) },
        new ContextBlock { Kind = "tool_result", Role = "user", Message = 6, Block = 0, Tool = "Read", ToolUseId = "toolu_r" + n, Path = "src/app/server.ts", TokensBefore = 3000, TokensAfter = 3000 },
    ];
}
