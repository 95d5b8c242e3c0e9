namespace Headroom.Compressors.Code;

/// <summary>Whether cutting a range pays for the note that replaces it: counted in non-blank characters, a cheap proxy for tokens.</summary>
internal static class ElisionCost
{
    public static bool Pays(string input, int start, int end, int minChars)
    {
        int n = 0;
        for (int i = start; i < end; i++)
        {
            if (!char.IsWhiteSpace(input[i]) && ++n >= minChars)
            {
                return true;
            }
        }

        return false;
    }
}
