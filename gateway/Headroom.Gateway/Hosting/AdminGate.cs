using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Hosting;

/// <summary>
/// Admin surfaces (provenance, telemetry, retrieval) answer loopback callers only, unless
/// <c>Headroom:AdminToken</c> is set: then any caller with <c>Authorization: Bearer TOKEN</c>.
/// </summary>
internal static class AdminGate
{
    public static bool IsAllowed(HttpContext context, GatewayOptions options)
    {
        if (!string.IsNullOrEmpty(options.AdminToken))
        {
            var header = context.Request.Headers.Authorization.ToString();
            const string prefix = "Bearer ";
            if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var presented = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
            var expected = Encoding.UTF8.GetBytes(options.AdminToken);
            return CryptographicOperations.FixedTimeEquals(presented, expected);
        }

        var remote = context.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote);
    }

    public static IResult Denied(GatewayOptions options) => Results.Json(
        new AdminError(string.IsNullOrEmpty(options.AdminToken)
            ? "Admin endpoints answer loopback callers only. Set Headroom:AdminToken to allow remote callers with a bearer token."
            : "Missing or wrong bearer token for this admin endpoint (Headroom:AdminToken)."),
        GatewayJsonContext.Default.AdminError,
        statusCode: StatusCodes.Status403Forbidden);
}
