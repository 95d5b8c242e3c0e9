using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;

namespace Headroom.Compressors.Json;

/// <summary>
/// JSON → smaller valid JSON. Lossless first: whitespace goes, and arrays of uniform objects
/// become a table (<c>{"headroom:table":[columns],"headroom:const":{column:value},"rows":[[...],...]}</c>:
/// field names once, nested objects of one shape flattened to dotted columns, columns with one
/// value in every item written once). Arrays longer than the keep budget
/// then keep only the items <see cref="JsonItemSelector"/> picks, the rest replaced by one
/// marker item. Arrays nested up to depth 5 are treated the same way. Every kept scalar and key
/// is copied verbatim from the source.
/// </summary>
internal sealed class JsonCompressor : ICompressor
{
    public const string TableKey = "headroom:table";
    public const string ConstKey = "headroom:const";
    private const int MaxArrayDepth = 5;
    private const int MaxFlattenDepth = 3;

    public string Name => "json";

    public int Version => 1;

    public CompressorOutput Compress(string input, CompressionRequest request)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(request);
        var root = JsonTreeParser.Parse(input);
        var writer = new Writer(input, request);
        writer.Value(root, 0, "$");
        return writer.Builder.Build(writer.Lossy);
    }

    private sealed class Writer(string source, CompressionRequest request)
    {
        public SpanBuilder Builder { get; } = new(source, source.Length / 2);

        public bool Lossy { get; private set; }

        private int LossyThreshold => Math.Max(4, (int)Math.Ceiling(12 * request.KeepFactor));

        private int First => Math.Max(1, (int)Math.Round(2 * request.KeepFactor));

        private int Last => Math.Max(1, (int)Math.Round(1 * request.KeepFactor));

        public void Value(JsonNode node, int arrayDepth, string path)
        {
            switch (node.Kind)
            {
                case JsonKind.Object:
                    Builder.Kept(node.Start, node.Start + 1);
                    for (var i = 0; i < node.Children.Count; i++)
                    {
                        if (i > 0)
                        {
                            Builder.Kept(node.Commas[i - 1], node.Commas[i - 1] + 1);
                        }

                        var (ks, ke, colon) = node.Keys[i];
                        Builder.Kept(ks, ke).Kept(colon, colon + 1);
                        Value(node.Children[i], arrayDepth, path + "." + node.Key(source, i));
                    }

                    Builder.Kept(node.End - 1, node.End);
                    break;

                case JsonKind.Array:
                    Array(node, arrayDepth + 1, path + "[]");
                    break;

                default:
                    Builder.Kept(node.Start, node.End);
                    break;
            }
        }

        private void Array(JsonNode node, int depth, string path)
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            var items = node.Children;
            if (depth > MaxArrayDepth || items.Count == 0)
            {
                Plain(node, Enumerable.Range(0, items.Count).ToList(), null, depth);
                return;
            }

            IReadOnlyList<int> kept = Enumerable.Range(0, items.Count).ToList();
            string? marker = null;
            if (items.Count > LossyThreshold)
            {
                var selection = JsonItemSelector.Select(source, node, request.Query, First, Last, request.CancellationToken);
                if (selection.Kept.Count < items.Count)
                {
                    kept = selection.Kept;
                    marker = MarkerFormat.Format(
                        items.Count - kept.Count, items.Count, MarkerUnit.Items, selection.Describe(First, Last, path.TrimEnd('[', ']')), Hash());
                    Lossy = true;
                }
            }

            var columns = items.Count >= 3 ? TableColumns(items) : null;
            if (columns is not null)
            {
                Table(node, kept, columns, marker, depth);
            }
            else
            {
                Plain(node, kept, marker, depth);
            }
        }

        private void Plain(JsonNode node, IReadOnlyList<int> kept, string? marker, int depth)
        {
            Builder.Kept(node.Start, node.Start + 1);
            var previous = -2;
            foreach (var i in kept)
            {
                if (previous >= 0)
                {
                    if (previous == i - 1)
                    {
                        Builder.Kept(node.Commas[i - 1], node.Commas[i - 1] + 1);
                    }
                    else
                    {
                        Builder.Summary(",");
                    }
                }

                Value(node.Children[i], depth, "[" + i + "]");
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

        private void Table(JsonNode node, IReadOnlyList<int> kept, List<string[]> columns, string? marker, int depth)
        {
            // Columns with one value in every item are written once, under "headroom:const".
            var constant = columns.Select(c => node.Children.Count >= 3 && node.Children.Select(i => Resolve(i, c)).Select(v => source.AsSpan(v.Start, v.End - v.Start).ToString()).Distinct(StringComparer.Ordinal).Count() == 1).ToArray();
            var varying = columns.Where((_, c) => !constant[c]).ToList();
            Builder.Summary("{\"" + TableKey + "\":[" + string.Join(",", varying.Select(c => "\"" + string.Join(".", c) + "\"")) + "]", node.Start, node.End);
            if (constant.Any(c => c))
            {
                Builder.Summary(",\"" + ConstKey + "\":{", node.Start, node.End);
                var firstConst = true;
                for (var c = 0; c < columns.Count; c++)
                {
                    if (constant[c])
                    {
                        Builder.Summary((firstConst ? "\"" : ",\"") + string.Join(".", columns[c]) + "\":", node.Start, node.End);
                        Value(Resolve(node.Children[0], columns[c]), depth, "");
                        firstConst = false;
                    }
                }

                Builder.Summary("}", node.Start, node.End);
            }

            Builder.Summary(",\"rows\":[", node.Start, node.End);
            columns = varying;
            var firstRow = true;
            foreach (var i in kept)
            {
                Builder.Summary(firstRow ? "[" : ",[", node.Start, node.End);
                firstRow = false;
                var item = node.Children[i];
                for (var c = 0; c < columns.Count; c++)
                {
                    if (c > 0)
                    {
                        Builder.Summary(",", node.Start, node.End);
                    }

                    var value = Resolve(item, columns[c]);
                    Value(value, depth, "");
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

        private JsonNode Resolve(JsonNode item, string[] column)
        {
            var node = item;
            foreach (var key in column)
            {
                node = node.Property(source, key)!;
            }

            return node;
        }

        /// <summary>Columns when every item is an object with the same key set; nested objects that
        /// have one key sequence in every item flatten into dotted columns. Null when not uniform.</summary>
        private List<string[]>? TableColumns(List<JsonNode> items)
        {
            if (items.Any(i => i.Kind != JsonKind.Object) || items[0].Keys.Count < 2)
            {
                return null;
            }

            var keys = Enumerable.Range(0, items[0].Keys.Count).Select(k => items[0].Key(source, k)).ToArray();
            if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Length || keys.Any(k => k.Contains('.', StringComparison.Ordinal) || k == TableKey))
            {
                return null;
            }

            foreach (var item in items)
            {
                if (item.Keys.Count != keys.Length || keys.Any(k => item.Property(source, k) is null))
                {
                    return null;
                }
            }

            var columns = new List<string[]>();
            foreach (var key in keys)
            {
                AddColumns(items, [key], columns, 1);
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
