using Headroom.Gateway.LiveZone;
using Microsoft.AspNetCore.Http;

namespace Headroom.Gateway.Hosting;

/// <summary>ASP.NET's request headers as the live zone reads them.</summary>
internal sealed class HttpRequestHeaders(IHeaderDictionary headers) : IRequestHeaders
{
    public string this[string name] => headers[name].ToString();

    public bool Contains(string name) => headers.ContainsKey(name);
}
