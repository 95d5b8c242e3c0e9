using System.Text.Json;

namespace Headroom.Gateway.Caching;

/// <summary>
/// The smallest prefix (tokens) each model caches, from the embedded <c>Pricing/cache-minimums.json</c>.
/// Lookup is by the longest matching id prefix after any <c>provider/</c> prefix; unknown models get the
/// provider default.
/// </summary>
public sealed class CacheMinimums
{
    private const string ResourceName = "Headroom.Gateway.Pricing.cache-minimums.json";
    private static readonly Lazy<CacheMinimums> Embedded = new(() =>
    {
        using var stream = typeof(CacheMinimums).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        return Parse(stream);
    });

    private readonly (string Prefix, int Tokens)[] _byPrefix;
    private readonly int _anthropic;
    private readonly int _openai;

    private CacheMinimums((string, int)[] byPrefix, int anthropic, int openai)
    {
        // Longest prefix first, so "claude-opus-4-5" wins over "claude-opus-4".
        _byPrefix = byPrefix.OrderByDescending(p => p.Item1.Length).ThenBy(p => p.Item1, StringComparer.Ordinal).ToArray();
        _anthropic = anthropic;
        _openai = openai;
    }

    public static CacheMinimums Default => Embedded.Value;

    public static CacheMinimums Parse(Stream json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        var defaults = root.GetProperty("default");
        var list = new List<(string, int)>();
        foreach (var model in root.GetProperty("models").EnumerateArray())
        {
            list.Add((model.GetProperty("prefix").GetString() ?? "", model.GetProperty("minTokens").GetInt32()));
        }

        return new CacheMinimums([.. list], defaults.GetProperty("anthropic").GetInt32(), defaults.GetProperty("openai").GetInt32());
    }

    public int MinTokens(string? model, bool anthropic)
    {
        var name = model ?? "";
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        foreach (var (prefix, tokens) in _byPrefix)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return tokens;
            }
        }

        return anthropic ? _anthropic : _openai;
    }
}
