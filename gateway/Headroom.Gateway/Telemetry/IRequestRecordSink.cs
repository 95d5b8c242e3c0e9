namespace Headroom.Gateway.Telemetry;

/// <summary>Receives each finished request. Must not block: it runs on the request's thread.</summary>
public interface IRequestRecordSink
{
    void Record(RequestRecord record);
}
