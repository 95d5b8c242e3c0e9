namespace Headroom.Media.Images;

/// <summary>
/// The verdict on one image: the replacement bytes when <see cref="Replaced"/>, otherwise the reason it was
/// left untouched. Token figures use the provider's rules for the size sent.
/// </summary>
public sealed record ImageRewrite(
    ImageRewriteOutcome Outcome,
    string Reason,
    ReadOnlyMemory<byte> Bytes,
    string MediaType,
    ImageDimensions OriginalSize,
    ImageDimensions Size,
    int TokensBefore,
    int TokensAfter,
    long BytesBefore)
{
    public bool Replaced => Outcome == ImageRewriteOutcome.Downscaled;

    /// <summary>
    /// Work still running after the verdict (a decode abandoned at its time budget, stopping at its next
    /// cancellation check); callers that bound concurrency hold their slot until it completes.
    /// </summary>
    public Task Completion { get; init; } = Task.CompletedTask;

    public long BytesAfter => Replaced ? Bytes.Length : BytesBefore;

    /// <summary>The replacement as base64 (for splicing into a JSON request); null when untouched.</summary>
    public string? ToBase64() => Replaced ? Convert.ToBase64String(Bytes.Span) : null;
}
