using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Relevance;
using Headroom.Compressors.Spans;
using Headroom.Compressors.Tokens;

namespace Headroom.Compressors.Json;

/// <summary>
/// JSON → smaller valid JSON. Lossless first: whitespace goes, and arrays of objects most of which
/// share one key set become a table (<c>{"headroom:table":[columns],"headroom:const":{column:value},"rows":[[...],{...},...]}</c>:
/// field names once, nested objects of one shape flattened to dotted columns, columns with one
/// value in every such item written once, columns whose every written cell sits inside another column's
/// cell between a fixed prefix and suffix written once as an equation under <c>"headroom:derived"</c>
/// (<see cref="JsonDerivedColumns"/>); an item of another shape stays an object among the
/// rows, whole, and three or more kept in a row with one key sequence become a table of their own
/// in their place, as they do in an array without a majority shape). Arrays longer than the keep budget then keep only the items
/// <see cref="JsonItemSelector"/> picks (anomalies first), the rest replaced by one marker item.
/// A small input (under ~2,000 tokens) loses only items that carry no fact. Arrays nested up to
/// depth 5 are treated the same way. Every kept scalar and key is copied verbatim from the source,
/// and the output never has more tokens than the input.
/// </summary>
internal sealed class JsonCompressor(IRelevanceRanker? ranker = null) : ICompressor
{
    public const string TableKey = "headroom:table";
    public const string ConstKey = "headroom:const";
    private const int MaxArrayDepth = 5;
    private const int MaxFlattenDepth = 3;
    private const int SmallTokens = 2000;
    private const int MinSubTableRun = 3;

    public string Name => "json";

    private const int RankedItems = 3;
    private readonly IRelevanceRanker _ranker = ranker ?? Bm25RelevanceRanker.Instance;

    public int Version => 4;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var root = JsonTreeParser.Parse(input);
        var tokens = O200kTokenizer.Instance;
        var small = input.Length <= SmallTokens * 8 && tokens.CountTokens(input) < SmallTokens;
        var query = new JsonQuery(request.Query);
        var critical = JsonCriticalMap.Build(input, root, query, Writer.LossyThresholdFor(request), request.CancellationToken);
        var writer = new Writer(input, request, query, small, critical, _ranker);
        writer.Value(root, 0, "$", whole: false);
        var output = writer.Builder.Build(writer.Lossy) with { Scorer = writer.Scorer, ScorerFallback = writer.ScorerFallback };

        // Never more tokens than the input (a marker can cost more than what a small cut saves).
        // Counted only when the output is not clearly shorter: kept text is verbatim, so fewer chars by a tenth
        // means fewer tokens on every input measured (JsonDataTests).
        if (output.Output.Length * 10 >= input.Length * 9 && tokens.CountTokens(output.Output) > tokens.CountTokens(input))
        {
            return new SpanBuilder(input, input.Length).Kept(0, input.Length).Build(lossy: false);
        }

        return output;
    }

    private sealed class Writer(string source, CompressionRequest request, JsonQuery query, bool small, JsonCriticalMap criticalMap, IRelevanceRanker ranker)
    {
        // Where each column's keys were found last (see Resolve), by column.
        private readonly Dictionary<string[], int[]> _hints = new(ReferenceEqualityComparer.Instance);

        public SpanBuilder Builder { get; } = new(source, source.Length / 2);

        public bool Lossy { get; private set; }

        /// <summary>Who ranked the ordinary items by the query (null when no array was ranked).</summary>
        public string? Scorer { get; private set; }

        /// <summary>Why the configured ranker did not decide (the first fallback met).</summary>
        public string? ScorerFallback { get; private set; }

        /// <summary>Arrays longer than this may lose items.</summary>
        public static int LossyThresholdFor(CompressionRequest request) => Math.Max(4, (int)Math.Ceiling(12 * request.KeepFactor));

        private int LossyThreshold => LossyThresholdFor(request);

        private int First => Math.Max(1, (int)Math.Round(2 * request.KeepFactor));

        private int Last => Math.Max(1, (int)Math.Round(1 * request.KeepFactor));

        /// <summary>Writes a value; <paramref name="whole"/> (an item that must reach the model
        /// whole) keeps every item of the arrays inside it.</summary>
        public void Value(JsonNode node, int arrayDepth, string path, bool whole)
        {
            switch (node.Kind)
            {
                case JsonKind.Object:
                    Builder.Kept(node.Start, node.Start + 1);
                    for (var i = 0; i < node.Children.Count; i++)
                    {
                        if (i > 0)
                        {
                            var comma = node.Comma(source, i);
                            Builder.Kept(comma, comma + 1);
                        }

                        var (ks, ke, colon) = node.Keys[i];
                        Builder.Kept(ks, ke).Kept(colon, colon + 1);
                        Value(node.Children[i], arrayDepth, path + "." + node.Key(source, i), whole);
                    }

                    Builder.Kept(node.End - 1, node.End);
                    break;

                case JsonKind.Array:
                    Array(node, arrayDepth + 1, path + "[]", whole);
                    break;

                default:
                    Builder.Kept(node.Start, node.End);
                    break;
            }
        }

        private void Array(JsonNode node, int depth, string path, bool whole)
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            var items = node.Children;
            if (depth > MaxArrayDepth || items.Count == 0)
            {
                Plain(node, Enumerable.Range(0, items.Count).ToList(), null, depth, null, whole);
                return;
            }

            IReadOnlyList<int> kept = Enumerable.Range(0, items.Count).ToList();
            string? marker = null;
            var (shape, critical) = criticalMap.Of(node);
            if (items.Count > LossyThreshold && !whole)
            {
                var selection = JsonItemSelector.Select(source, node, critical, query, First, Last, small, request.CancellationToken);
                if (selection.Kept.Count < items.Count && !string.IsNullOrWhiteSpace(request.Query))
                {
                    selection = Ranked(node, selection);
                }

                if (selection.Kept.Count < items.Count)
                {
                    kept = selection.Kept;
                    marker = MarkerFormat.Format(
                        items.Count - kept.Count, items.Count, MarkerUnit.Items, selection.Describe(First, Last, path.TrimEnd('[', ']')), Hash());
                    Lossy = true;
                }
            }

            var columns = items.Count >= 3 ? TableColumns(items, shape) : null;
            if (columns is not null)
            {
                Table(node, kept, columns, shape, marker, depth, critical, whole);
            }
            else
            {
                Plain(node, kept, marker, depth, critical, whole);
            }
        }

        /// <summary>The selection plus the ordinary items (those it cut) the ranker puts first for the query.</summary>
        private JsonSelection Ranked(JsonNode node, JsonSelection selection)
        {
            var kept = new HashSet<int>(selection.Kept);
            var ordinary = Enumerable.Range(0, node.Children.Count).Where(i => !kept.Contains(i)).ToList();
            var ranking = ranker.Rank(request.Query!, ordinary.Select(i => JsonItemText.Of(source, node.Children[i])).ToList(), request);
            Scorer ??= ranking.Ranker;
            ScorerFallback ??= ranking.Fallback;
            var top = ranking.Top(Math.Max(1, (int)Math.Round(RankedItems * request.KeepFactor)));
            if (top.Count == 0)
            {
                return selection;
            }

            var merged = selection.Kept.Concat(top.Select(t => ordinary[t])).Order().ToList();
            return selection with { Kept = merged, Ranked = top.Count };
        }

        private void Plain(JsonNode node, IReadOnlyList<int> kept, string? marker, int depth, JsonCriticalItems? critical, bool whole)
        {
            Builder.Kept(node.Start, node.Start + 1);
            var previous = -2;
            for (var k = 0; k < kept.Count; k++)
            {
                var i = kept[k];
                if (previous != -2)
                {
                    if (previous == i - 1)
                    {
                        var comma = node.Comma(source, i);
                        Builder.Kept(comma, comma + 1);
                    }
                    else
                    {
                        Builder.Summary(",");
                    }
                }

                var run = depth <= MaxArrayDepth ? SameKeysRun(node, kept, k, null) : 0;
                if (run >= MinSubTableRun)
                {
                    SubTable(node, kept, k, run, depth, critical, whole);
                    k += run - 1;
                    previous = -3; // the next kept item follows a table, not its source comma
                    continue;
                }

                Value(node.Children[i], depth, "[" + i + "]", whole || critical?.Whole[i] == true);
                previous = i;
            }

            if (marker is not null)
            {
                Builder.Summary(kept.Count > 0 ? ",\"" : "\"", node.Start, node.End);
                Builder.Marker(marker, node.Start, node.End);
                Builder.Summary("\"", node.Start, node.End);
            }

            Builder.Kept(node.End - 1, node.End);
        }

        private void Table(JsonNode node, IReadOnlyList<int> kept, List<string[]> columns, JsonShape shape, string? marker, int depth, JsonCriticalItems critical, bool whole)
        {
            // Columns with one value in every item of the table's shape are written once, under "headroom:const".
            var members = node.Children.Where((_, i) => shape.Conforms(i)).ToList();
            var constant = new bool[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                constant[c] = IsConstant(members, columns[c]);
            }

            var varying = columns.Where((_, c) => !constant[c]).ToList();
            var names = varying.Select(c => string.Join(".", c)).ToList();
            var written = new List<JsonNode[]>();
            foreach (var i in kept)
            {
                if (shape.Conforms(i))
                {
                    written.Add([.. varying.Select(c => Resolve(node.Children[i], c))]);
                }
            }

            var derived = JsonDerivedColumns.Find(source, written, names);
            Builder.Summary("{\"" + TableKey + "\":[" + string.Join(",", names.Where((_, c) => derived[c] is null).Select(n => "\"" + n + "\"")) + "]", node.Start, node.End);
            if (constant.Any(c => c))
            {
                Builder.Summary(",\"" + ConstKey + "\":{", node.Start, node.End);
                var firstConst = true;
                for (var c = 0; c < columns.Count; c++)
                {
                    if (constant[c])
                    {
                        Builder.Summary((firstConst ? "\"" : ",\"") + string.Join(".", columns[c]) + "\":", node.Start, node.End);
                        Value(Resolve(members[0], columns[c]), depth, "", whole || critical.Any);
                        firstConst = false;
                    }
                }

                Builder.Summary("}", node.Start, node.End);
            }

            Derived(node, derived, names);
            Builder.Summary(",\"rows\":[", node.Start, node.End);
            columns = varying;
            var firstRow = true;
            for (var k = 0; k < kept.Count; k++)
            {
                var i = kept[k];
                var item = node.Children[i];
                if (!shape.Conforms(i))
                {
                    Builder.Summary(firstRow ? "" : ",", node.Start, node.End);
                    firstRow = false;
                    var run = SameKeysRun(node, kept, k, shape);
                    if (run >= MinSubTableRun)
                    {
                        SubTable(node, kept, k, run, depth, critical, whole);
                        k += run - 1;
                        continue;
                    }

                    Value(item, depth, "[" + i + "]", whole || critical.Whole[i]);
                    continue;
                }

                Builder.Summary(firstRow ? "[" : ",[", node.Start, node.End);
                firstRow = false;
                var firstCell = true;
                for (var c = 0; c < columns.Count; c++)
                {
                    if (derived[c] is not null)
                    {
                        continue;
                    }

                    if (!firstCell)
                    {
                        Builder.Summary(",", node.Start, node.End);
                    }

                    firstCell = false;
                    var value = Resolve(item, columns[c]);
                    Value(value, depth, "", whole || critical.Whole[i]);
                }

                Builder.Summary("]", node.Start, node.End);
            }

            if (marker is not null)
            {
                Builder.Summary(kept.Count > 0 ? ",\"" : "\"", node.Start, node.End);
                Builder.Marker(marker, node.Start, node.End);
                Builder.Summary("\"", node.Start, node.End);
            }

            Builder.Summary("]}", node.Start, node.End);
        }

        /// <summary>How many kept items from <paramref name="k"/> on are objects of another shape than the table's
        /// with one and the same key sequence (an older API version's items, say): they become a table of their own.</summary>
        private int SameKeysRun(JsonNode node, IReadOnlyList<int> kept, int k, JsonShape? shape)
        {
            var first = node.Children[kept[k]];
            if (first.Kind != JsonKind.Object || first.Keys.Count < 2)
            {
                return 0;
            }

            var keys = Enumerable.Range(0, first.Keys.Count).Select(x => first.Key(source, x)).ToArray();
            if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Length || keys.Contains(TableKey))
            {
                return 0;
            }

            var run = 1;
            while (k + run < kept.Count && shape?.Conforms(kept[k + run]) != true)
            {
                var next = node.Children[kept[k + run]];
                if (next.Kind != JsonKind.Object || next.Keys.Count != keys.Length || !Enumerable.Range(0, keys.Length).All(x => next.Key(source, x) == keys[x]))
                {
                    break;
                }

                run++;
            }

            return run;
        }

        /// <summary><c>{"headroom:table":[keys],"rows":[[values],...]}</c> in the place of <paramref name="run"/> kept items with one key sequence.</summary>
        private void SubTable(JsonNode node, IReadOnlyList<int> kept, int k, int run, int depth, JsonCriticalItems? critical, bool whole)
        {
            var first = node.Children[kept[k]];
            var items = Enumerable.Range(k, run).Select(r => node.Children[kept[r]]).ToList();
            var constant = Enumerable.Range(0, first.Keys.Count).Select(c => first.Children[c].Kind is not (JsonKind.Object or JsonKind.Array)
                && items.All(item => source.AsSpan(item.Children[c].Start, item.Children[c].End - item.Children[c].Start).SequenceEqual(source.AsSpan(first.Children[c].Start, first.Children[c].End - first.Children[c].Start)))).ToArray();
            string KeyText(int c) => source[first.Keys[c].Start..first.Keys[c].End];
            var varying = Enumerable.Range(0, first.Keys.Count).Where(c => !constant[c]).ToArray();
            var found = JsonDerivedColumns.Find(source, [.. items.Select(item => varying.Select(c => item.Children[c]).ToArray())], [.. varying.Select(c => first.Key(source, c))]);
            var derived = new bool[first.Keys.Count];
            for (var v = 0; v < varying.Length; v++)
            {
                derived[varying[v]] = found[v] is not null;
            }

            Builder.Summary("{\"" + TableKey + "\":[" + string.Join(",", varying.Where(c => !derived[c]).Select(KeyText)) + "]", node.Start, node.End);
            if (constant.Any(c => c))
            {
                Builder.Summary(",\"" + ConstKey + "\":{" + string.Join(",", Enumerable.Range(0, first.Keys.Count).Where(c => constant[c]).Select(c => KeyText(c) + ":" + source[first.Children[c].Start..first.Children[c].End])) + "}", node.Start, node.End);
            }

            Derived(node, found, [.. varying.Select(c => first.Key(source, c))]);
            Builder.Summary(",\"rows\":[", node.Start, node.End);
            for (var r = 0; r < run; r++)
            {
                var i = kept[k + r];
                var item = node.Children[i];
                Builder.Summary(r == 0 ? "[" : ",[", node.Start, node.End);
                var firstValue = true;
                for (var c = 0; c < item.Children.Count; c++)
                {
                    if (constant[c] || derived[c])
                    {
                        continue;
                    }

                    Builder.Summary(firstValue ? "" : ",", node.Start, node.End);
                    firstValue = false;
                    Value(item.Children[c], depth, "", whole || critical?.Whole[i] == true);
                }

                Builder.Summary("]", node.Start, node.End);
            }

            Builder.Summary("]}", node.Start, node.End);
        }

        /// <summary><c>,"headroom:derived":["checksumUrl = downloadUrl + '.sha256'",...]</c> for the columns read off another.</summary>
        private void Derived(JsonNode node, JsonDerivation?[] derived, IReadOnlyList<string> names)
        {
            var first = true;
            for (var c = 0; c < derived.Length; c++)
            {
                if (derived[c] is { } rule)
                {
                    Builder.Summary((first ? ",\"" + JsonDerivedColumns.Key + "\":[\"" : ",\"") + rule.Equation(names[rule.Source], names[c]) + "\"", node.Start, node.End);
                    first = false;
                }
            }

            if (!first)
            {
                Builder.Summary("]", node.Start, node.End);
            }
        }

        /// <summary>True when the column has one text in every member (compared in place: copying each cell out
        /// to count distinct texts was the costliest step of a table on a cold call).</summary>
        private bool IsConstant(List<JsonNode> members, string[] column)
        {
            var first = Resolve(members[0], column);
            var text = source.AsSpan(first.Start, first.End - first.Start);
            for (var m = 1; m < members.Count; m++)
            {
                var value = Resolve(members[m], column);
                if (!source.AsSpan(value.Start, value.End - value.Start).SequenceEqual(text))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The cell of <paramref name="item"/> under a (dotted) column. Items of one shape mostly hold
        /// their keys in one order, so each step looks first where it found that key last time.</summary>
        private JsonNode Resolve(JsonNode item, string[] column)
        {
            if (!_hints.TryGetValue(column, out var hints))
            {
                hints = new int[column.Length];
                _hints[column] = hints;
            }

            var node = item;
            for (var k = 0; k < column.Length; k++)
            {
                var at = hints[k];
                if (at >= node.Keys.Count || !node.HasKeyAt(source, at, column[k]))
                {
                    at = hints[k] = node.IndexOf(source, column[k]);
                }

                node = node.Children[at];
            }

            return node;
        }

        /// <summary>Columns when every item is an object and at least 3 and most of them share one key
        /// set; nested objects that have one key sequence in every such item flatten into dotted
        /// columns. Null when not uniform enough.</summary>
        private List<string[]>? TableColumns(List<JsonNode> items, JsonShape shape)
        {
            if (items.Any(i => i.Kind != JsonKind.Object) || shape.ModalCount < 3 || shape.ModalCount * 2 <= items.Count)
            {
                return null;
            }

            var members = items.Where((_, i) => shape.Conforms(i)).ToList();
            var keys = Enumerable.Range(0, members[0].Keys.Count).Select(k => members[0].Key(source, k)).ToArray();
            if (keys.Length < 2 || keys.Distinct(StringComparer.Ordinal).Count() != keys.Length || keys.Any(k => k.Contains('.', StringComparison.Ordinal) || k == TableKey))
            {
                return null;
            }

            var columns = new List<string[]>();
            foreach (var key in keys)
            {
                AddColumns(members, [key], columns, 1);
            }

            return columns;
        }

        private void AddColumns(List<JsonNode> items, string[] path, List<string[]> columns, int depth)
        {
            var values = items.Select(i => Resolve(i, path)).ToList();
            if (depth <= MaxFlattenDepth && values.All(v => v.Kind == JsonKind.Object && v.Keys.Count > 0))
            {
                var keys = Enumerable.Range(0, values[0].Keys.Count).Select(k => values[0].Key(source, k)).ToArray();
                var same = keys.Distinct(StringComparer.Ordinal).Count() == keys.Length
                    && keys.All(k => !k.Contains('.', StringComparison.Ordinal))
                    && values.All(v => v.Keys.Count == keys.Length && Enumerable.Range(0, keys.Length).All(k => v.Key(source, k) == keys[k]));
                if (same)
                {
                    foreach (var key in keys)
                    {
                        AddColumns(items, [.. path, key], columns, depth + 1);
                    }

                    return;
                }
            }

            columns.Add(path);
        }

        private string Hash() => request.OriginalHash.Length == ContentHash.Length ? request.OriginalHash : ContentHash.Compute(source);
    }
}
