using Headroom.Gateway.LiveZone;

namespace Headroom.Gateway.Caching;

/// <summary><c>x-headroom-mode: off</c> asks the gateway to change nothing new: cache planners then only observe.</summary>
internal static class CachingMode
{
    public static bool MayChange(RequestPlan plan) =>
        !plan.Headers["x-headroom-mode"].ToString().Equals("off", StringComparison.OrdinalIgnoreCase);
}
