using Headroom.Client;

namespace Microsoft.Extensions.AI;

/// <summary><c>builder.UseHeadroom(...)</c>: Headroom's live zone and retrieval loop in a chat-client pipeline.</summary>
public static class HeadroomChatClientBuilderExtensions
{
    /// <summary>Adds <see cref="HeadroomChatClient"/> to the pipeline (with the default options when none are given).</summary>
    public static ChatClientBuilder UseHeadroom(this ChatClientBuilder builder, HeadroomClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new HeadroomChatClient(inner, options ?? new HeadroomClientOptions()));
    }
}
