namespace Headroom.Gateway.LiveZone;

/// <summary>
/// The request headers the live zone reads (session ids, <c>x-headroom-mode</c>, API keys for the
/// tenant): by name, case-insensitive, the empty string when absent. The gateway adapts ASP.NET's
/// header dictionary, the in-process client an <see cref="System.Net.Http.HttpRequestMessage"/>'s headers.
/// </summary>
public interface IRequestHeaders
{
    /// <summary>The header's value (several values joined by commas), or "" when it was not sent.</summary>
    string this[string name] { get; }

    /// <summary>Whether the header was sent at all (even empty).</summary>
    bool Contains(string name);
}
