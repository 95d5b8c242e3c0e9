using System.Text.Json;
using Headroom.Media.Cost;

namespace Headroom.Gateway.Media;

/// <summary>The before/after token and dollar figures, written the same way by the CLI and the endpoints.</summary>
internal static class MediaCostJson
{
    /// <summary>tokensBefore, tokensAfter, usdBefore, usdAfter (null when the model has no price).</summary>
    public static void WriteFigures(Utf8JsonWriter w, MediaCostEstimate cost)
    {
        w.WriteNumber("tokensBefore", cost.TokensBefore);
        w.WriteNumber("tokensAfter", cost.TokensAfter);
        if (cost.UsdBefore is { } before && cost.UsdAfter is { } after)
        {
            w.WriteNumber("usdBefore", before);
            w.WriteNumber("usdAfter", after);
        }
        else
        {
            w.WriteNull("usdBefore");
            w.WriteNull("usdAfter");
        }
    }
}
