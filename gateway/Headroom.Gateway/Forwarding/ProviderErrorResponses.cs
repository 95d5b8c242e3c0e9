using Headroom.Gateway.Providers;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Forwarding;

/// <summary>Writes a <see cref="ProviderErrors"/> body as the gateway's response, unless the response has started.</summary>
internal static class ProviderErrorResponses
{
    public static async Task WriteAsync(HttpContext context, Provider provider, int status, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var body = ProviderErrors.Body(provider, status, message);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
