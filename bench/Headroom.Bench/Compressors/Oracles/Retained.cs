namespace Headroom.Bench.Compressors.Oracles;

/// <summary>How many things the oracle said must survive and how many did.</summary>
internal readonly record struct Retained(int Must, int Kept)
{
    public static Retained None => default;

    public double Percent => Must == 0 ? 100 : 100.0 * Kept / Must;

    public static Retained operator +(Retained a, Retained b) => new(a.Must + b.Must, a.Kept + b.Kept);

    public string Show() => Must == 0 ? "-" : $"{Percent:F1}% ({Kept}/{Must})";
}
