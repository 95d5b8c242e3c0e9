using System.ComponentModel;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace Headroom.Media.Ffmpeg;

/// <summary>
/// Runs one FFMpegCore invocation under the caller's cancellation and the time budget:
/// 1. both are linked into one token that FFMpegCore watches (it asks ffmpeg to quit, then kills it after a grace);
/// 2. the process is awaited; what ffmpeg said on stderr is kept for errors;
/// 3. the caller's cancellation becomes <see cref="OperationCanceledException"/>, the budget a
///    <see cref="MediaErrorKind.Timeout"/>, a missing binary <see cref="MediaErrorKind.FfmpegMissing"/>.
/// </summary>
internal static class FfmpegRunner
{
    /// <summary>How long ffmpeg may take to quit after being asked before it is killed.</summary>
    private static readonly TimeSpan QuitGrace = TimeSpan.FromMilliseconds(250);

    public static async Task<FFMpegResult> RunAsync(FFMpegArgumentProcessor processor, FfmpegTools tools, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        FFMpegResult result;
        try
        {
            result = await processor
                .CancellableThrough(linked.Token, QuitGrace)
                .ProcessAsynchronously(throwOnError: false, tools.FfmpegCoreOptions, linked.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when ((e is Win32Exception || (e is FFMpegException && !File.Exists(tools.FfmpegPath))) && !linked.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorKind.FfmpegMissing, $"Could not start ffmpeg ({e.Message}). {FfmpegTools.InstallHint}", e);
        }
        catch (FFMpegException e) when (!linked.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorKind.ProcessFailed, $"ffmpeg failed: {Summarize(e.Message)}", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && budget.IsCancellationRequested)
        {
            throw TimedOut("ffmpeg", timeout);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (budget.IsCancellationRequested)
        {
            throw TimedOut("ffmpeg", timeout);
        }

        return result;
    }

    /// <summary>Probes a file with ffprobe under the same rules; ffprobe failures become <see cref="MediaErrorKind.InvalidMedia"/>.</summary>
    public static async Task<IMediaAnalysis> ProbeAsync(string path, FfmpegTools tools, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await FFProbe.AnalyseAsync(path, tools.FfprobeCoreOptions, FfmpegInputs.ProbeArguments, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Win32Exception || (e is FFMpegException && !File.Exists(tools.FfprobePath)))
        {
            throw new MediaException(MediaErrorKind.FfmpegMissing, $"Could not start ffprobe ({e.Message}). {FfmpegTools.InstallHint}", e);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception) when (budget.IsCancellationRequested)
        {
            throw TimedOut("ffprobe", timeout);
        }
        catch (Exception e) when (e is FFProbeException or FFMpegException or System.Text.Json.JsonException)
        {
            throw new MediaException(
                MediaErrorKind.InvalidMedia,
                $"'{Path.GetFileName(path)}' is not a readable video (corrupt, truncated or unknown format): {Summarize(e.Message)}",
                e);
        }
    }

    /// <summary>The last meaningful stderr lines, for an error message a user can read.</summary>
    public static string Summarize(IEnumerable<string> stderr)
    {
        var lines = stderr
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("frame=", StringComparison.Ordinal) && !l.StartsWith("Press [q]", StringComparison.Ordinal))
            .ToList();
        if (lines.Count == 0)
        {
            return "no diagnostic output";
        }

        return string.Join(" | ", lines.Count <= 3 ? lines : lines.GetRange(lines.Count - 3, 3));
    }

    public static string Summarize(string text) => Summarize(text.Split('\n'));

    private static MediaException TimedOut(string tool, TimeSpan timeout) => new(
        MediaErrorKind.Timeout,
        $"{tool} did not finish within {timeout.TotalSeconds:0.#} s and was stopped (Headroom:Media:TimeoutSeconds).");
}
