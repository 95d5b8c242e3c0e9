namespace Headroom.Compressors.Tests.Text;

/// <summary>Locates ../shared/data (walking up from the test assembly); null when absent so data tests no-op.</summary>
internal static class TestData
{
    public static string? SharedData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
