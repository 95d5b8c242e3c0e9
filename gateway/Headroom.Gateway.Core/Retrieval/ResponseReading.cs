namespace Headroom.Gateway.Retrieval;

/// <summary>What a protocol notes while a JSON model response is read (<see cref="Providers.IWireProtocol.InspectMember"/>).</summary>
internal sealed class ResponseReading
{
    /// <summary>Range of what goes back into the conversation (content array, message object, output array, candidate content).</summary>
    public (int Start, int End)? Turn { get; set; }

    public List<TurnItem> Items { get; } = [];

    public (int Start, int End)? Usage { get; set; }

    /// <summary>Range of the stop / finish reason string.</summary>
    public (int Start, int End)? Stop { get; set; }
}
