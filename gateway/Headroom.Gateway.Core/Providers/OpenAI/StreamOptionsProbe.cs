using System.Text.Json;

namespace Headroom.Gateway.Providers.OpenAI;

/// <summary>Where a Chat request's top-level <c>stream_options</c> sits and what it says about usage.</summary>
internal readonly record struct StreamOptionsProbe(int RootOpen, int ValueStart, int ValueEnd, JsonTokenType ValueKind, int IncludeUsageStart, int IncludeUsageEnd, bool IncludeUsage)
{
    public bool Present => ValueStart >= 0;

    /// <summary>Walks the root object's properties (values skipped, nothing allocated).</summary>
    public static StreamOptionsProbe Find(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        int open = -1, start = -1, end = -1, usageStart = -1, usageEnd = -1;
        var kind = JsonTokenType.None;
        var include = false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return new StreamOptionsProbe(-1, -1, -1, kind, -1, -1, false);
        }

        open = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOptions = reader.ValueTextEquals("stream_options"u8);
            reader.Read();
            if (!isOptions)
            {
                reader.Skip();
                continue;
            }

            start = (int)reader.TokenStartIndex;
            kind = reader.TokenType;
            if (kind == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isUsage = reader.ValueTextEquals("include_usage"u8);
                    reader.Read();
                    if (isUsage)
                    {
                        usageStart = (int)reader.TokenStartIndex;
                        usageEnd = (int)reader.BytesConsumed;
                        include = reader.TokenType == JsonTokenType.True;
                    }

                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }

            end = (int)reader.BytesConsumed;
        }

        return new StreamOptionsProbe(open, start, end, kind, usageStart, usageEnd, include);
    }
}
