namespace Headroom.Provenance;

/// <summary>
/// Which backend to open, from `--store`, `Headroom:Store` or `HEADROOM__STORE`:
/// <c>sqlite:PATH</c> (a leading ~ is the home directory) or <c>postgres:Host=...;Database=...</c>.
/// </summary>
internal sealed record StoreSpec(StoreKind Kind, string Target)
{
    public const string Default = "sqlite:~/.headroom/headroom.db";

    public static StoreSpec Parse(string? spec)
    {
        spec = string.IsNullOrWhiteSpace(spec) ? Default : spec.Trim();
        if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = spec["sqlite:".Length..].Trim();
            if (path.Length == 0)
            {
                throw new ArgumentException($"Store '{spec}' names no file. Use sqlite:PATH, e.g. {Default}.", nameof(spec));
            }

            return new StoreSpec(StoreKind.Sqlite, Path.GetFullPath(ExpandHome(path)));
        }

        foreach (var prefix in (ReadOnlySpan<string>)["postgres:", "postgresql:"])
        {
            if (spec.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var connectionString = spec[prefix.Length..].Trim();
                if (connectionString.Length == 0)
                {
                    throw new ArgumentException($"Store '{prefix}' needs a connection string, e.g. postgres:Host=localhost;Username=headroom;Password=...;Database=headroom (or use sqlite:PATH).", nameof(spec));
                }

                return new StoreSpec(StoreKind.Postgres, connectionString);
            }
        }

        throw new ArgumentException($"Unknown store '{Redact(spec)}'. Use sqlite:PATH (default {Default}) or postgres:Host=...;Database=....", nameof(spec));
    }

    /// <summary>A description safe to log (no password).</summary>
    public string Describe() => Kind switch
    {
        StoreKind.Sqlite => "sqlite:" + Target,
        _ => "postgres:" + Redact(Target),
    };

    internal static string ExpandHome(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            return Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[1..].TrimStart('/', '\\'));
        }

        return path;
    }

    private static string Redact(string connectionString)
    {
        var parts = connectionString.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parts[i][..eq].Trim().Contains("password", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = parts[i][..(eq + 1)] + "***";
            }
        }

        return string.Join(';', parts);
    }
}
