using System.Text.Json.Serialization.Metadata;
using Headroom.Provenance.Events;
using Headroom.Provenance.EventStore;
using Headroom.Provenance.Projections;

namespace Headroom.Provenance.Tests.Infrastructure;

/// <summary>
/// The inline projection earlier builds ran in every append: one "request_provenance" document per request.
/// Registered on a test backend, it writes a store the way those builds did.
/// </summary>
internal sealed class InlineRequestProvenance : DocumentProjection<RequestProvenance>
{
    public const string Type = "request_provenance";

    public override string Name => Type;

    public override string DocumentType => Type;

    protected override JsonTypeInfo<RequestProvenance> TypeInfo => ProvenanceJsonContext.Default.RequestProvenance;

    protected override bool DocumentPerStream => true;

    protected override string? DocumentIdFor(RecordedEvent e) => e.StreamId;

    protected override RequestProvenance? Apply(RequestProvenance? current, string id, RecordedEvent e) =>
        RequestProvenanceFold.Fold(current ?? new RequestProvenance { RequestId = id }, EventSerializer.Deserialize(e));
}
