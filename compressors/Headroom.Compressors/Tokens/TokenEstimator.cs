namespace Headroom.Compressors.Tokens;

/// <summary>
/// Token counts per provider. OpenAI models use o200k_base, so the count is exact. Anthropic
/// does not publish its tokenizer: the estimate is the o200k count times a per-model factor.
/// The default factor (<see cref="DefaultAnthropicFactor"/>) is a starting point, to be
/// calibrated from the <c>input_tokens</c> the provider reports; factors come from
/// configuration, matched by the longest model-name prefix.
/// </summary>
public sealed class TokenEstimator
{
    /// <summary>Claude's tokenizer yields more tokens than o200k on English and code; 1.15 is the
    /// documented default until calibration data says otherwise.</summary>
    public const double DefaultAnthropicFactor = 1.15;

    private readonly O200kTokenizer _tokenizer;
    private readonly KeyValuePair<string, double>[] _anthropicFactors; // longest prefix first
    private readonly double _anthropicDefault;

    public TokenEstimator(
        O200kTokenizer? tokenizer = null,
        double anthropicDefaultFactor = DefaultAnthropicFactor,
        IReadOnlyDictionary<string, double>? anthropicModelFactors = null)
    {
        if (anthropicDefaultFactor <= 0 || double.IsNaN(anthropicDefaultFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(anthropicDefaultFactor), "The factor must be positive.");
        }

        _tokenizer = tokenizer ?? O200kTokenizer.Instance;
        _anthropicDefault = anthropicDefaultFactor;
        _anthropicFactors = [.. (anthropicModelFactors ?? new Dictionary<string, double>())
            .OrderByDescending(p => p.Key.Length)
            .ThenBy(p => p.Key, StringComparer.Ordinal)];
    }

    public static TokenEstimator Default { get; } = new();

    public double Factor(TokenProvider provider, string? model)
    {
        if (provider == TokenProvider.OpenAI)
        {
            return 1.0;
        }

        foreach (var (prefix, factor) in _anthropicFactors)
        {
            if (model is not null && model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return factor;
            }
        }

        return _anthropicDefault;
    }

    public int Estimate(TokenProvider provider, string? model, ReadOnlySpan<char> text)
    {
        var count = _tokenizer.CountTokens(text);
        var factor = Factor(provider, model);
        return factor == 1.0 ? count : (int)Math.Ceiling(count * factor);
    }
}
