using System.Reflection;
using Xunit;

namespace Headroom.Compressors.Tests.Pipeline;

/// <summary>Committed fixtures (embedded) and the shared evaluation data next to the repo.</summary>
internal static class Fixtures
{
    public static string Read(string relativePath)
    {
        var name = "Headroom.Compressors.Tests." + relativePath.Replace('/', '.');
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Fixture '{relativePath}' is not embedded (resource '{name}').");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The shared/data directory: walks up from the test assembly until a directory
    /// holding shared/data is found (the repo is cloned next to a `shared` directory).</summary>
    public static string SharedDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/data directory found above {AppContext.BaseDirectory}. Clone the repository next to the `shared` directory (../shared/data from the repo root).");
    }

    /// <summary>The file names of one shared/data folder, in order, as theory data.</summary>
    public static TheoryData<string> SharedDataFiles(string folder, string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(SharedDataDirectory(), folder), pattern).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }
}
