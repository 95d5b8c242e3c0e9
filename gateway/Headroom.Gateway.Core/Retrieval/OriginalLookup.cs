using System.Text;
using Headroom.Provenance.Originals;

namespace Headroom.Gateway.Retrieval;

/// <summary>The answer to one <c>headroom_retrieve</c> call, from the caller's own tenant only (foreign or forged hashes find nothing).</summary>
internal static class OriginalLookup
{
    /// <summary>The original for <paramref name="call"/>'s hash, or a note saying why there is none; and its size in bytes (0 when not found).</summary>
    public static async Task<(RetrievedOriginal Answer, int Bytes)> AnswerAsync(IOriginalsStore originals, TenantId tenant, TurnItem call, int retentionDays, CancellationToken cancellationToken)
    {
        var hash = call.Hash ?? "";
        byte[]? original = OriginalHash.IsValid(hash) ? await originals.GetAsync(tenant, hash, cancellationToken).ConfigureAwait(false) : null;
        if (original is not null)
        {
            return (new RetrievedOriginal(call.CallId ?? "", hash, Encoding.UTF8.GetString(original), true), original.Length);
        }

        return (new RetrievedOriginal(call.CallId ?? "", hash, OriginalHash.IsValid(hash)
            ? $"No original is stored for hash {hash}: it expired (kept {retentionDays} days) or was never produced by this gateway for this API key."
            : "headroom_retrieve needs the 24-character hex hash from a [headroom: ...] note.", false), 0);
    }
}
