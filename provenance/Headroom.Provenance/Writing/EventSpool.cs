using System.Buffers.Text;
using System.Text;
using Headroom.Provenance.Events;
using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.Writing;

/// <summary>
/// Append-only local files holding events the store could not take. One record per line:
/// <c>crc32(hex) SP type SP json LF</c>, the CRC covering "type SP json", so a torn last line or a
/// corrupted record is detected and skipped on replay. Segments are sealed before replay, so producers
/// keep appending to a fresh segment meanwhile; a segment is deleted only after every record is stored.
/// </summary>
internal sealed class EventSpool : IDisposable
{
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<string> _sealed = [];
    private readonly long _maxBytes;
    private const long MaxSegmentBytes = 4L * 1024 * 1024;
    private long _bytes;

    private FileStream? _active;
    private string? _activePath;
    private long _segmentCounter;
    private volatile bool _hasPending;

    public EventSpool(string directory, ILogger logger, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _directory = directory;
        _logger = logger;
        _maxBytes = maxBytes;
        Directory.CreateDirectory(directory);

        // Segments left by an earlier run (crash, or store down at shutdown) are replayed too.
        _sealed.AddRange(Directory.EnumerateFiles(directory, "spool-*.ndjson").Order(StringComparer.Ordinal));
        _bytes = _sealed.Sum(path => new FileInfo(path).Length);
        _hasPending = _sealed.Count > 0;
    }

    /// <summary>Bytes the spool holds on disk now (this process's segments and those left by earlier runs).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public string DirectoryPath => _directory;

    public bool HasPending => _hasPending;

    public void Append(IReadOnlyList<ProvenanceEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var buffer = new MemoryStream();
        Span<byte> crcHex = stackalloc byte[8];
        foreach (var e in events)
        {
            var (type, json) = EventSerializer.Serialize(e);
            var payload = new byte[Encoding.UTF8.GetByteCount(type) + 1 + json.Length];
            var written = Encoding.UTF8.GetBytes(type, payload);
            payload[written] = (byte)' ';
            json.CopyTo(payload.AsSpan(written + 1));
            Utf8Formatter.TryFormat(Crc32.Compute(payload), crcHex, out _, new System.Buffers.StandardFormat('x', 8));
            buffer.Write(crcHex);
            buffer.WriteByte((byte)' ');
            buffer.Write(payload);
            buffer.WriteByte((byte)'\n');
        }

        lock (_lock)
        {
            // The disk cap: a long outage must not fill the disk the gateway and its host need.
            if (_bytes + buffer.Length > _maxBytes)
            {
                throw new SpoolFullException($"The provenance spool in {_directory} holds {_bytes:N0} bytes, its cap is {_maxBytes:N0} (ProvenanceOptions.SpoolMaxBytes); {events.Count} events were not spooled. Bring the store back, or free disk space and raise the cap.");
            }

            if (_active is null)
            {
                _activePath = Path.Combine(_directory, FormattableString.Invariant($"spool-{DateTime.UtcNow.Ticks:D19}-{Environment.ProcessId}-{_segmentCounter++:D6}.ndjson"));
                _active = new FileStream(_activePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
            }

            buffer.Position = 0;
            buffer.CopyTo(_active);
            _active.Flush();
            _bytes += buffer.Length;
            _hasPending = true;

            // Bounded segments: a replay loads one segment at a time, so a long outage costs
            // disk, not memory.
            if (_active.Length >= MaxSegmentBytes)
            {
                _active.Dispose();
                _sealed.Add(_activePath!);
                _active = null;
                _activePath = null;
            }
        }
    }

    /// <summary>Closes the segment being written and returns every segment waiting for replay, oldest first.</summary>
    public IReadOnlyList<string> Seal()
    {
        lock (_lock)
        {
            if (_active is not null)
            {
                _active.Dispose();
                _sealed.Add(_activePath!);
                _active = null;
                _activePath = null;
            }

            return [.. _sealed];
        }
    }

    /// <summary>Forgets a segment after it was replayed (and deletes it) or found in use by another process.</summary>
    public void Remove(string path, bool delete)
    {
        var length = 0L;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        if (delete)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left behind, it is replayed again at the next start: appends are idempotent by event id.
            }
        }

        lock (_lock)
        {
            if (_sealed.Remove(path))
            {
                _bytes = Math.Max(0, _bytes - length);
            }

            _hasPending = _sealed.Count > 0 || _active is not null;
        }
    }

    /// <summary>Reads a sealed segment, skipping records whose checksum does not match (logged).</summary>
    public List<ProvenanceEvent> Read(string path)
    {
        var events = new List<ProvenanceEvent>();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        using var memory = new MemoryStream();
        file.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        var line = 0;
        while (!bytes.IsEmpty)
        {
            line++;
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                // A torn last write: the record never completed.
                ProvenanceLog.SpoolRecordSkipped(_logger, path, line);
                break;
            }

            if (TryParse(bytes[..end]) is { } e)
            {
                events.Add(e);
            }
            else
            {
                ProvenanceLog.SpoolRecordSkipped(_logger, path, line);
            }

            bytes = bytes[(end + 1)..];
        }

        return events;
    }

    private static ProvenanceEvent? TryParse(ReadOnlySpan<byte> record)
    {
        if (record.Length < 10 || record[8] != (byte)' ' || !Utf8Parser.TryParse(record[..8], out uint crc, out var consumed, 'x') || consumed != 8)
        {
            return null;
        }

        var payload = record[9..];
        if (Crc32.Compute(payload) != crc)
        {
            return null;
        }

        var space = payload.IndexOf((byte)' ');
        if (space <= 0)
        {
            return null;
        }

        try
        {
            return EventSerializer.Deserialize(Encoding.UTF8.GetString(payload[..space]), payload[(space + 1)..]);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _active?.Dispose();
            _active = null;
        }
    }
}
