using System.Security.Cryptography;

namespace Headroom.Gateway.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the assembly (no CDN: the page works offline). Read once; each
/// carries a strong ETag so a browser revalidates instead of downloading again.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "Headroom.Gateway.Dashboard.Assets.";

    private static readonly (string Name, string ContentType)[] Files =
    [
        ("index.html", "text/html; charset=utf-8"),
        ("dashboard.js", "text/javascript; charset=utf-8"),
        ("dashboard.css", "text/css; charset=utf-8"),
    ];

    private readonly Dictionary<string, DashboardAsset> _byName;

    private DashboardAssets(Dictionary<string, DashboardAsset> byName) => _byName = byName;

    public static DashboardAssets Embedded { get; } = Load();

    public DashboardAsset? Find(string name) => _byName.GetValueOrDefault(name);

    private static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var byName = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var (name, contentType) in Files)
        {
            using var stream = assembly.GetManifestResourceStream(Prefix + name)
                ?? throw new InvalidOperationException($"The dashboard asset '{name}' is not embedded in {assembly.GetName().Name}: check the EmbeddedResource items of Headroom.Gateway.csproj.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            byName[name] = new DashboardAsset(bytes, contentType, etag);
        }

        return new DashboardAssets(byName);
    }
}
