namespace Headroom.Compressors.Json;

/// <summary>
/// A table column whose every written cell is read off column <paramref name="Source"/>'s cell: that cell
/// with <paramref name="Prefix"/> and <paramref name="Suffix"/> taken off, or, where
/// <paramref name="Separator"/> is set, its text before (<paramref name="BeforeSeparator"/>) or after the
/// last <paramref name="Separator"/>.
/// </summary>
internal sealed record JsonDerivation(int Source, string Prefix, string Suffix, char Separator = '\0', bool BeforeSeparator = false)
{
    /// <summary>The rule as written under <c>headroom:derived</c>, the derived column first:
    /// <c>downloadUrl = checksumUrl minus trailing '.sha256'</c>, <c>version = origversion before its last '-'</c>.</summary>
    public string Equation(string source, string derived)
    {
        if (Separator != '\0')
        {
            return $"{derived} = {source} {(BeforeSeparator ? "before" : "after")} its last '{Separator}'";
        }

        var text = derived + " = " + source;
        if (Prefix.Length > 0)
        {
            text += " minus leading '" + Prefix + "'";
        }

        if (Suffix.Length > 0)
        {
            text += (Prefix.Length > 0 ? " and" : " minus") + " trailing '" + Suffix + "'";
        }

        return text;
    }
}
