using System.Text.Json;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// Reads usage, model and response id out of provider JSON documents: a whole JSON response, or
/// one SSE event's data. Later values win field by field, which is the right merge for every
/// provider: Anthropic's <c>message_delta</c> carries cumulative counts after <c>message_start</c>,
/// OpenAI sends one usage chunk, Responses one <c>response.completed</c>, Gemini a running
/// <c>usageMetadata</c> on every chunk whose last is final.
/// Only <c>usage</c> objects at the top, under <c>message</c> or under <c>response</c> count (and Gemini's
/// top-level <c>usageMetadata</c>, also in each element of a streamed JSON array), so a tool argument
/// named "usage" cannot be mistaken for billing data.
/// </summary>
public sealed class UsageAccumulator
{
    private long? _input;
    private long? _output;
    private long? _cacheRead;
    private long? _cacheWrite;
    private long? _cacheWrite5m;
    private long? _cacheWrite1h;
    private long? _openAiCached;
    private long? _geminiCandidates;
    private long? _geminiThoughts;
    private long? _geminiToolUsePrompt;

    public string? Model { get; private set; }
    public string? ResponseId { get; private set; }
    public string? ErrorMessage { get; private set; }
    public bool SawUsage { get; private set; }

    public TokenUsage? Usage
    {
        get
        {
            if (!SawUsage)
            {
                return null;
            }

            // OpenAI (chat prompt_tokens, Responses input_tokens) counts cached tokens inside the
            // input figure and reports them in *_details.cached_tokens; Anthropic reports them apart.
            // Gemini's promptTokenCount likewise includes cachedContentTokenCount; tool-use prompt tokens
            // (search, code execution results) are input reported apart; thinking tokens are billed as
            // output, reported apart from the candidates.
            long cacheRead = _cacheRead ?? _openAiCached ?? 0;
            long input = (_input ?? 0) - (_openAiCached ?? 0) + (_geminiToolUsePrompt ?? 0);
            long output = _output ?? 0;
            if (_geminiCandidates is not null || _geminiThoughts is not null)
            {
                output = (_geminiCandidates ?? 0) + (_geminiThoughts ?? 0);
            }

            long w5 = _cacheWrite5m ?? 0, w1 = _cacheWrite1h ?? 0;
            if (_cacheWrite5m is null && _cacheWrite1h is null)
            {
                w5 = _cacheWrite ?? 0; // no TTL breakdown: the default 5-minute TTL
            }

            return new TokenUsage
            {
                InputTokens = Math.Max(0, input),
                OutputTokens = output,
                CacheReadTokens = cacheRead,
                CacheWrite5mTokens = w5,
                CacheWrite1hTokens = w1,
            };
        }
    }

    /// <summary>Observe one JSON document. Malformed JSON is ignored: accounting never fails a response.</summary>
    public void Observe(ReadOnlySpan<byte> json)
    {
        try
        {
            Walk(json);
        }
        catch (JsonException)
        {
            // Truncated or malformed upstream data: keep what was read so far.
        }
    }

    private void Walk(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        // scopes[d] = what the object opened at depth d is (CurrentDepth of its StartObject token).
        // Depths 0..3 suffice for usage, message.usage, response.usage and usage.cache_creation.
        Span<Scope> scopes = stackalloc Scope[4];
        // Gemini's streamGenerateContent without alt=sse answers a JSON array of whole responses.
        var rootArray = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray when reader.CurrentDepth == 0:
                    rootArray = true;
                    break;

                case JsonTokenType.StartObject when reader.CurrentDepth < scopes.Length:
                    // Only the root and array elements get here: property values are handled below.
                    scopes[reader.CurrentDepth] = reader.CurrentDepth == 0 || (rootArray && reader.CurrentDepth == 1) ? Scope.Root : Scope.Other;
                    break;

                case JsonTokenType.PropertyName:
                    {
                        var depth = reader.CurrentDepth;
                        var owner = depth - 1 < scopes.Length ? scopes[depth - 1] : Scope.Other;
                        var property = Classify(ref reader);
                        if (!reader.Read())
                        {
                            return;
                        }

                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            if (depth < scopes.Length)
                            {
                                scopes[depth] = NestFrom(owner, property);
                            }
                        }
                        else if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            Value(ref reader, owner, property);
                        }

                        break;
                    }
            }
        }
    }

    private void Value(ref Utf8JsonReader reader, Scope owner, Scope property)
    {
        switch (owner)
        {
            case Scope.Root or Scope.Message or Scope.Response when reader.TokenType == JsonTokenType.String:
                if (property is Scope.ModelName or Scope.ModelVersion && Model is null)
                {
                    Model = reader.GetString();
                }
                else if (property is Scope.Id or Scope.ResponseIdName && ResponseId is null)
                {
                    ResponseId = reader.GetString();
                }

                break;
            case Scope.ErrorBody when property == Scope.MessageObject && reader.TokenType == JsonTokenType.String:
                ErrorMessage = reader.GetString();
                break;
            case Scope.Usage or Scope.CacheCreation or Scope.PromptDetails or Scope.UsageMetadata when reader.TokenType == JsonTokenType.Number:
                SawUsage = true;
                var n = reader.TryGetInt64(out var v) ? v : 0;
                switch (owner, property)
                {
                    case (Scope.Usage, Scope.InputTokens): _input = n; break;
                    case (Scope.Usage, Scope.OutputTokens): _output = n; break;
                    case (Scope.Usage, Scope.CompletionTokens): _output = n; break;
                    case (Scope.Usage, Scope.PromptTokens): _input = n; break;
                    case (Scope.Usage, Scope.CacheReadInput): _cacheRead = n; break;
                    case (Scope.Usage, Scope.CacheCreationInput): _cacheWrite = n; break;
                    case (Scope.CacheCreation, Scope.Ephemeral5m): _cacheWrite5m = n; break;
                    case (Scope.CacheCreation, Scope.Ephemeral1h): _cacheWrite1h = n; break;
                    case (Scope.PromptDetails, Scope.CachedTokens): _openAiCached = n; break;
                    case (Scope.UsageMetadata, Scope.PromptTokenCount): _input = n; break;
                    case (Scope.UsageMetadata, Scope.CandidatesTokenCount): _geminiCandidates = n; break;
                    case (Scope.UsageMetadata, Scope.ThoughtsTokenCount): _geminiThoughts = n; break;
                    case (Scope.UsageMetadata, Scope.ToolUsePromptTokenCount): _geminiToolUsePrompt = n; break;
                    case (Scope.UsageMetadata, Scope.CachedContentTokenCount): _openAiCached = n; break;
                }

                break;
        }
    }

    private static Scope NestFrom(Scope owner, Scope property) => (owner, property) switch
    {
        (Scope.Root, Scope.Usage) => Scope.Usage,
        (Scope.Root, Scope.UsageMetadata) => Scope.UsageMetadata,
        (Scope.Root, Scope.MessageObject) => Scope.Message,
        (Scope.Root, Scope.ResponseObject) => Scope.Response,
        (Scope.Root, Scope.Error) => Scope.ErrorBody,
        (Scope.Message or Scope.Response, Scope.Usage) => Scope.Usage,
        (Scope.Usage, Scope.CacheCreation) => Scope.CacheCreation,
        (Scope.Usage, Scope.PromptDetails) => Scope.PromptDetails,
        _ => Scope.Other,
    };

    private static Scope Classify(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("usage"u8)) return Scope.Usage;
        if (r.ValueTextEquals("model"u8)) return Scope.ModelName;
        if (r.ValueTextEquals("id"u8)) return Scope.Id;
        if (r.ValueTextEquals("type"u8)) return Scope.TypeName;
        if (r.ValueTextEquals("message"u8)) return Scope.MessageObject;
        if (r.ValueTextEquals("response"u8)) return Scope.ResponseObject;
        if (r.ValueTextEquals("error"u8)) return Scope.Error;
        if (r.ValueTextEquals("input_tokens"u8)) return Scope.InputTokens;
        if (r.ValueTextEquals("output_tokens"u8)) return Scope.OutputTokens;
        if (r.ValueTextEquals("prompt_tokens"u8)) return Scope.PromptTokens;
        if (r.ValueTextEquals("completion_tokens"u8)) return Scope.CompletionTokens;
        if (r.ValueTextEquals("cache_read_input_tokens"u8)) return Scope.CacheReadInput;
        if (r.ValueTextEquals("cache_creation_input_tokens"u8)) return Scope.CacheCreationInput;
        if (r.ValueTextEquals("cache_creation"u8)) return Scope.CacheCreation;
        if (r.ValueTextEquals("ephemeral_5m_input_tokens"u8)) return Scope.Ephemeral5m;
        if (r.ValueTextEquals("ephemeral_1h_input_tokens"u8)) return Scope.Ephemeral1h;
        if (r.ValueTextEquals("prompt_tokens_details"u8) || r.ValueTextEquals("input_tokens_details"u8)) return Scope.PromptDetails;
        if (r.ValueTextEquals("cached_tokens"u8)) return Scope.CachedTokens;
        if (r.ValueTextEquals("usageMetadata"u8)) return Scope.UsageMetadata;
        if (r.ValueTextEquals("promptTokenCount"u8)) return Scope.PromptTokenCount;
        if (r.ValueTextEquals("candidatesTokenCount"u8)) return Scope.CandidatesTokenCount;
        if (r.ValueTextEquals("cachedContentTokenCount"u8)) return Scope.CachedContentTokenCount;
        if (r.ValueTextEquals("thoughtsTokenCount"u8)) return Scope.ThoughtsTokenCount;
        if (r.ValueTextEquals("toolUsePromptTokenCount"u8)) return Scope.ToolUsePromptTokenCount;
        if (r.ValueTextEquals("modelVersion"u8)) return Scope.ModelVersion;
        if (r.ValueTextEquals("responseId"u8)) return Scope.ResponseIdName;
        return Scope.None;
    }

    /// <summary>Both "where am I" (containers) and "which property is this" (names) in one small enum.</summary>
    private enum Scope : byte
    {
        None,
        Other,
        Root,
        Message,
        Response,
        ErrorBody,
        Usage,
        CacheCreation,
        PromptDetails,
        ModelName,
        Id,
        TypeName,
        MessageObject,
        ResponseObject,
        Error,
        InputTokens,
        OutputTokens,
        PromptTokens,
        CompletionTokens,
        CacheReadInput,
        CacheCreationInput,
        Ephemeral5m,
        Ephemeral1h,
        CachedTokens,
        UsageMetadata,
        PromptTokenCount,
        CandidatesTokenCount,
        CachedContentTokenCount,
        ThoughtsTokenCount,
        ToolUsePromptTokenCount,
        ModelVersion,
        ResponseIdName,
    }
}
