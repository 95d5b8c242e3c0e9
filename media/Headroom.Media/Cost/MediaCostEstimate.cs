namespace Headroom.Media.Cost;

/// <summary>
/// Input cost of sending media naively versus optimised. Dollars are null when the model has no known
/// price ("tokens only").
/// </summary>
public sealed record MediaCostEstimate(
    int ImagesBefore,
    int ImagesAfter,
    long TokensBefore,
    long TokensAfter,
    decimal? UsdBefore,
    decimal? UsdAfter)
{
    /// <summary>How many times fewer tokens the optimised form costs (∞ when it costs none).</summary>
    public double Reduction => TokensAfter == 0 ? double.PositiveInfinity : TokensBefore / (double)TokensAfter;
}
