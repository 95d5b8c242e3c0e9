namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>The evaluation data in ../shared/data next to the repository (a symlink in CI).</summary>
internal static class SharedData
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/data not found above " + AppContext.BaseDirectory + ": clone the repository next to the shared folder (CI links it as ../shared).");
    }
}
