using System.Buffers;

namespace Headroom.Compressors.Json;

/// <summary>
/// The agent's query as the JSON compressor matches items against it: the whole text, its words
/// (<see cref="JsonItemSelector.QueryWords"/>) and its identifiers (<see cref="JsonFacts.QueryIdentifiers"/>),
/// split once per call rather than once per array. Every match holds at least one of them, so one
/// vectorised search for any of them passes over the items that hold none (nearly all) in a single
/// scan; case-insensitive <c>Contains</c> per word was a quarter of the compressor's time.
/// </summary>
internal sealed class JsonQuery
{
    public static readonly JsonQuery None = new(null);

    private readonly SearchValues<string>? _any;
    private readonly SearchValues<string>? _whole;
    private readonly SearchValues<string>[] _words = [];
    private readonly SearchValues<string>[] _identifiers = [];

    public JsonQuery(string? query)
    {
        Text = string.IsNullOrWhiteSpace(query) ? null : query;
        Words = JsonItemSelector.QueryWords(query);
        Identifiers = JsonFacts.QueryIdentifiers(query);
        if (Text is not null)
        {
            var whole = Text.Trim();
            string[] needles = [.. new[] { whole }.Concat(Words).Concat(Identifiers).Distinct(StringComparer.OrdinalIgnoreCase)];
            _any = SearchValues.Create(needles, StringComparison.OrdinalIgnoreCase);
            _whole = SearchValues.Create([whole], StringComparison.OrdinalIgnoreCase);
            _words = [.. Words.Select(w => SearchValues.Create([w], StringComparison.OrdinalIgnoreCase))];
            _identifiers = [.. Identifiers.Select(id => SearchValues.Create([id], StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>The query as given, or null when there is none (or only white space).</summary>
    public string? Text { get; }

    public string[] Words { get; }

    public string[] Identifiers { get; }

    public bool IsEmpty => Text is null;

    /// <summary>True when <paramref name="raw"/> holds (case-insensitive) the whole query, every one of two
    /// or more of its words, or one of its identifiers; a query without words of 3 chars matches by identifier only.</summary>
    public bool Matches(ReadOnlySpan<char> raw)
    {
        if (_any is null || raw.IndexOfAny(_any) < 0)
        {
            return false;
        }

        if (_words.Length > 0 && (raw.IndexOfAny(_whole!) >= 0 || (_words.Length > 1 && HoldsAll(raw, _words))))
        {
            return true;
        }

        foreach (var id in _identifiers)
        {
            if (raw.IndexOfAny(id) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HoldsAll(ReadOnlySpan<char> raw, SearchValues<string>[] words)
    {
        foreach (var w in words)
        {
            if (raw.IndexOfAny(w) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
