namespace Headroom.Gateway.LiveZone;

/// <summary>
/// A step that adds byte splices to the forwarded request after the live zone has decided its
/// tool-output replacements (e.g. cache breakpoints, prompt_cache_key). Planners run in
/// registration order, must be deterministic for the same input, and must not overlap a range
/// another splice already replaces (<see cref="RequestPlan.Overlaps"/>).
/// </summary>
public interface IRequestPlanner
{
    ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken);
}
