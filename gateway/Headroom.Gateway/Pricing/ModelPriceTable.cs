using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Headroom.Gateway.Pricing;

/// <summary>
/// Per-model prices from the embedded <c>prices.json</c>, optionally extended or overridden entry by entry
/// from the file at <c>Headroom:PricesFile</c>. Lookup is case-insensitive by id or alias, then with a
/// provider prefix (<c>anthropic/</c>, <c>openai/</c>) and a date or <c>-latest</c> suffix removed.
/// An unknown model is null: callers report tokens only.
/// </summary>
public sealed partial class ModelPriceTable
{
    public const string ConfigurationKey = "Headroom:PricesFile";
    private const string ResourceName = "Headroom.Gateway.Pricing.prices.json";
    private static readonly Lazy<ModelPriceTable> Embedded = new(LoadEmbedded);
    private readonly Dictionary<string, ModelPrice> _byName;

    // Find's answers by the name as asked (a dated or prefixed name costs a regex replace and two lookups),
    // bounded: names come from clients, and past the bound they are answered without being kept.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ModelPrice?> _found = new(StringComparer.Ordinal);
    private const int MaxFound = 1024;

    private ModelPriceTable(IReadOnlyList<ModelPrice> models, string source)
    {
        Models = models;
        Source = source;
        _byName = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            foreach (var alias in model.Aliases)
            {
                _byName[alias] = model;
            }
        }

        // Ids win over aliases of other entries.
        foreach (var model in models)
        {
            _byName[model.Id] = model;
        }
    }

    /// <summary>The built-in table.</summary>
    public static ModelPriceTable Default => Embedded.Value;

    public IReadOnlyList<ModelPrice> Models { get; }

    /// <summary>Where the prices came from (for diagnostics).</summary>
    public string Source { get; }

    /// <summary>The built-in table merged with <c>Headroom:PricesFile</c> when set.</summary>
    public static ModelPriceTable FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration[ConfigurationKey];
        return string.IsNullOrWhiteSpace(path) ? Default : Default.MergedWith(LoadFile(path));
    }

    public static ModelPriceTable LoadFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read the price file '{path}' ({ConfigurationKey}): {e.Message}", e);
        }
    }

    public static ModelPriceTable Parse(Stream json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The price file '{source}' is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"The price file '{source}' has no \"models\" array.");
            }

            var list = new List<ModelPrice>();
            foreach (var model in models.EnumerateArray())
            {
                list.Add(ReadModel(model, source));
            }

            return new ModelPriceTable(list, source);
        }
    }

    /// <summary>This table with <paramref name="overrides"/> replacing entries of the same id and adding new ones.</summary>
    public ModelPriceTable MergedWith(ModelPriceTable overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var ids = new HashSet<string>(overrides.Models.Select(m => m.Id), StringComparer.OrdinalIgnoreCase);
        var merged = overrides.Models.Concat(Models.Where(m => !ids.Contains(m.Id))).ToList();
        return new ModelPriceTable(merged, $"{overrides.Source} over {Source}");
    }

    /// <summary>Prices for <paramref name="model"/>, or null when the model is unknown.</summary>
    public ModelPrice? Find(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        if (_found.TryGetValue(model, out var found))
        {
            return found;
        }

        found = Resolve(model);
        if (_found.Count < MaxFound)
        {
            _found.TryAdd(model, found);
        }

        return found;
    }

    private ModelPrice? Resolve(string model)
    {
        var name = model.Trim();
        if (_byName.TryGetValue(name, out var price))
        {
            return price;
        }

        var slash = name.LastIndexOf('/');
        if (slash >= 0 && _byName.TryGetValue(name[(slash + 1)..], out price))
        {
            return price;
        }

        var bare = DatedSuffix().Replace(slash >= 0 ? name[(slash + 1)..] : name, string.Empty);
        return _byName.GetValueOrDefault(bare);
    }

    private static ModelPrice ReadModel(JsonElement model, string source)
    {
        var id = model.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InvalidDataException($"The price file '{source}' has a model without an \"id\".");
        }

        var price = ReadPrices(model, id, source) with
        {
            Provider = model.TryGetProperty("provider", out var p) ? p.GetString() ?? string.Empty : string.Empty,
            Aliases = model.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array
                ? aliases.EnumerateArray().Select(a => a.GetString()).OfType<string>().ToArray()
                : [],
        };
        if (model.TryGetProperty("longContext", out var longContext))
        {
            var above = longContext.TryGetProperty("aboveInputTokens", out var a) && a.TryGetInt64(out var n) && n > 0
                ? n
                : throw new InvalidDataException($"The price file '{source}': model '{id}' has \"longContext\" without a positive \"aboveInputTokens\".");
            price = price with { LongContext = ReadPrices(longContext, id, source) with { Provider = price.Provider }, LongContextAboveInputTokens = above };
        }

        return price;
    }

    private static ModelPrice ReadPrices(JsonElement element, string id, string source)
    {
        decimal? Read(string name)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var d) || d < 0)
            {
                throw new InvalidDataException($"The price file '{source}': model '{id}' has an invalid \"{name}\" (a non-negative number of USD per million tokens).");
            }

            return d;
        }

        var input = Read("input") ?? throw new InvalidDataException($"The price file '{source}': model '{id}' has no \"input\" price.");
        var output = Read("output") ?? throw new InvalidDataException($"The price file '{source}': model '{id}' has no \"output\" price.");

        // Missing cache prices mean "no discount": billed as plain input.
        return new ModelPrice(id, string.Empty, input, output, Read("cacheRead") ?? input, Read("cacheWrite5m") ?? input, Read("cacheWrite1h") ?? input);
    }

    private static ModelPriceTable LoadEmbedded()
    {
        using var stream = typeof(ModelPriceTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        return Parse(stream, "embedded prices.json");
    }

    [GeneratedRegex(@"(-\d{8}|-\d{4}-\d{2}-\d{2}|-latest)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DatedSuffix();
}
