using Headroom.Provenance.Originals;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Hosting;

/// <summary><see cref="TenantResolver"/> over an ASP.NET request: its headers and Gemini's <c>?key=</c>.</summary>
internal static class TenantResolverHttp
{
    public static TenantId Resolve(this TenantResolver tenants, HttpRequest request) =>
        tenants.Resolve(new HttpRequestHeaders(request.Headers), QueryKey(request));

    public static TenantId ResolveKeylessRetrieval(this TenantResolver tenants, HttpRequest request, TenantId resolved) =>
        tenants.ResolveKeylessRetrieval(new HttpRequestHeaders(request.Headers), resolved);

    public static TenantId ResolveForRetrieval(this TenantResolver tenants, HttpRequest request, GatewayOptions options) =>
        tenants.ResolveForRetrieval(new HttpRequestHeaders(request.Headers), QueryKey(request), options);

    // A request without a query string (most) skips building the query collection.
    private static string? QueryKey(HttpRequest request) =>
        request.QueryString.HasValue && request.Query.TryGetValue("key", out var key) ? key.ToString() : null;
}
