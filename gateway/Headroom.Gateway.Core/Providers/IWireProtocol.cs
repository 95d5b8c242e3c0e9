using System.Text.Json;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Retrieval;
using Headroom.Gateway.Telemetry;

namespace Headroom.Gateway.Providers;

/// <summary>
/// Everything the gateway knows about one wire protocol, behind one seam: the live zone, replay,
/// the retrieval loop, telemetry and provenance call these and never switch on the protocol
/// themselves. One implementation per folder under <c>Providers/</c>.
/// </summary>
internal interface IWireProtocol
{
    Provider Provider { get; }

    /// <summary>The request grammar <see cref="RequestWalker"/> runs (blocks, tool outputs, tools by byte range).</summary>
    IRequestGrammar Grammar { get; }

    /// <summary>The <c>headroom_retrieve</c> declaration as this protocol declares tools.</summary>
    ReadOnlySpan<byte> RetrieveToolDeclaration { get; }

    /// <summary>Where the retrieve tool goes: appended after the client's own tools, so their bytes stay a prefix.</summary>
    Splice DeclareRetrieveTool(ReadOnlySpan<byte> body, RequestShape shape);

    /// <summary>
    /// Reads one member of a JSON response's root object (the reader is on its name), noting the
    /// model's turn, its items, and the stop reason; false to have it skipped.
    /// </summary>
    bool InspectMember(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ResponseReading reading);

    /// <summary>
    /// The conversation items that continue a request after the model's turn (<paramref name="turn"/>'s
    /// ranges are in <paramref name="response"/>): the turn, then the answers.
    /// </summary>
    void WriteContinuation(ContinuationWriter w, ReadOnlySpan<byte> response, ModelTurn turn, IReadOnlyList<RetrievedOriginal> answers);

    /// <summary>A usage object in this protocol's field names with the counts summed over every round.</summary>
    byte[] UsageJson(TokenUsage total);

    /// <summary>The stop reason (a JSON string) that ends a turn once our calls are removed, or empty to leave it.</summary>
    ReadOnlySpan<byte> EndTurnReason { get; }

    /// <summary>The streaming side of the retrieval loop.</summary>
    IStreamRetrieval StreamRetrieval { get; }
}

/// <summary>The wire protocol of each model API.</summary>
internal static class WireProtocols
{
    public static IWireProtocol? For(ApiKind api) => api switch
    {
        ApiKind.AnthropicMessages or ApiKind.AnthropicCountTokens => Anthropic.AnthropicProtocol.Instance,
        ApiKind.OpenAIChat => OpenAIChat.ChatProtocol.Instance,
        ApiKind.OpenAIResponses => OpenAIResponses.ResponsesProtocol.Instance,
        ApiKind.GeminiGenerate or ApiKind.GeminiStream or ApiKind.GeminiCountTokens => Gemini.GeminiProtocol.Instance,
        _ => null,
    };
}
