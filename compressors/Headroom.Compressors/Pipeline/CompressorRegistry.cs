using Headroom.Compressors.Diff;
using Headroom.Compressors.Json;
using Headroom.Compressors.Logs;
using Headroom.Compressors.Search;

namespace Headroom.Compressors.Pipeline;

/// <summary>Content type → compressor. <see cref="CreateDefault"/> has one line per type.</summary>
public sealed class CompressorRegistry
{
    private readonly Dictionary<ContentType, ICompressor> _byType = [];

    public static CompressorRegistry CreateDefault() => new CompressorRegistry()
        .Add(ContentType.Json, new JsonCompressor())
        .Add(ContentType.Log, new LogCompressor())
        .Add(ContentType.Search, new SearchCompressor())
        .Add(ContentType.Diff, new DiffCompressor())
        .Add(ContentType.Code, new Headroom.Compressors.Code.CodeCompressor())
        .Add(ContentType.Html, new Headroom.Compressors.Html.HtmlCompressor())
        .Add(ContentType.Text, new Headroom.Compressors.Text.ProseCompressor())
        .Add(ContentType.Mixed, new Headroom.Compressors.Mixed.MixedCompressor());

    /// <summary>Registers (or replaces) the compressor for <paramref name="type"/>.</summary>
    public CompressorRegistry Add(ContentType type, ICompressor compressor)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        _byType[type] = compressor;
        return this;
    }

    public ICompressor? Find(ContentType type) => _byType.GetValueOrDefault(type);
}
