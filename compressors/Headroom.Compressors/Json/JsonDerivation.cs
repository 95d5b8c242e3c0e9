namespace Headroom.Compressors.Json;

/// <summary>A table column whose every written cell is column <paramref name="Source"/>'s cell with
/// <paramref name="Prefix"/> and <paramref name="Suffix"/> taken off: source = prefix + cell + suffix.</summary>
internal sealed record JsonDerivation(int Source, string Prefix, string Suffix)
{
    /// <summary>The rule as written under <c>headroom:derived</c>: <c>checksumUrl = downloadUrl + '.sha256'</c>.</summary>
    public string Equation(string source, string derived)
    {
        var right = derived;
        if (Prefix.Length > 0)
        {
            right = "'" + Prefix + "' + " + right;
        }

        if (Suffix.Length > 0)
        {
            right += " + '" + Suffix + "'";
        }

        return source + " = " + right;
    }
}
