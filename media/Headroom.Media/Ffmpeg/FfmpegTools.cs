using FFMpegCore;

namespace Headroom.Media.Ffmpeg;

/// <summary>The located <c>ffmpeg</c> and <c>ffprobe</c> executables plus the per-process timeout.</summary>
public sealed class FfmpegTools
{
    /// <summary>The message every "not installed" error carries, naming the Debian package.</summary>
    internal const string InstallHint =
        "Install it with `apt-get install ffmpeg` (Debian/Ubuntu package `ffmpeg`, which also provides ffprobe), " +
        "or set Headroom:Media:FfmpegPath (environment HEADROOM__MEDIA__FFMPEGPATH) to the ffmpeg executable or its directory.";

    private FfmpegTools(string ffmpegPath, string ffprobePath, TimeSpan timeout)
    {
        FfmpegPath = ffmpegPath;
        FfprobePath = ffprobePath;
        Timeout = timeout;
        FfmpegCoreOptions = new FFOptions { BinaryFolder = Path.GetDirectoryName(ffmpegPath) ?? string.Empty };
        FfprobeCoreOptions = new FFOptions { BinaryFolder = Path.GetDirectoryName(ffprobePath) ?? string.Empty };
    }

    public string FfmpegPath { get; }

    public string FfprobePath { get; }

    public TimeSpan Timeout { get; }

    /// <summary>FFMpegCore's options for ffmpeg (it finds the binary by folder and name).</summary>
    internal FFOptions FfmpegCoreOptions { get; }

    /// <summary>FFMpegCore's options for ffprobe, which may live in another folder than ffmpeg.</summary>
    internal FFOptions FfprobeCoreOptions { get; }

    /// <summary>Finds both executables or throws <see cref="MediaErrorKind.FfmpegMissing"/>.</summary>
    public static FfmpegTools Locate(FfmpegOptions? options = null)
    {
        options ??= FfmpegOptions.Default;
        var ffmpeg = Resolve("ffmpeg", options.FfmpegPath, configuredDirectory: null);
        var ffprobe = Resolve("ffprobe", options.FfprobePath, configuredDirectory: DirectoryOf(options.FfmpegPath, ffmpeg));
        return new FfmpegTools(ffmpeg, ffprobe, options.Timeout > TimeSpan.Zero ? options.Timeout : FfmpegOptions.Default.Timeout);
    }

    /// <summary>Like <see cref="Locate"/> but returns null instead of throwing when ffmpeg is missing.</summary>
    public static FfmpegTools? TryLocate(FfmpegOptions? options = null)
    {
        try
        {
            return Locate(options);
        }
        catch (MediaException e) when (e.Kind == MediaErrorKind.FfmpegMissing)
        {
            return null;
        }
    }

    private static string? DirectoryOf(string? configured, string resolvedFfmpeg)
    {
        if (configured is null)
        {
            return null;
        }

        return Directory.Exists(configured) ? configured : Path.GetDirectoryName(resolvedFfmpeg);
    }

    private static string Resolve(string name, string? configured, string? configuredDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var candidate = Directory.Exists(configured) ? Path.Combine(configured, name) : configured;
            if (IsExecutableFile(candidate) && Path.GetFileNameWithoutExtension(candidate) == name)
            {
                return Path.GetFullPath(candidate);
            }

            if (IsExecutableFile(candidate))
            {
                throw new MediaException(
                    MediaErrorKind.FfmpegMissing,
                    $"The configured {name} '{configured}' must be named {name} (FFMpegCore looks binaries up by folder and name): configure its directory instead.");
            }

            throw new MediaException(
                MediaErrorKind.FfmpegMissing,
                $"{name} was not found at the configured path '{configured}'. {InstallHint}");
        }

        if (configuredDirectory is not null && IsExecutableFile(Path.Combine(configuredDirectory, name)))
        {
            return Path.GetFullPath(Path.Combine(configuredDirectory, name));
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var file in OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : new[] { name })
            {
                var candidate = Path.Combine(dir, file);
                if (IsExecutableFile(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new MediaException(MediaErrorKind.FfmpegMissing, $"{name} was not found on PATH. {InstallHint}");
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
