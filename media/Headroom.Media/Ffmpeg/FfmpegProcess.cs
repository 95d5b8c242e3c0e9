using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Headroom.Media.Ffmpeg;

/// <summary>
/// Runs ffmpeg or ffprobe with an argument list (never a shell string), optional bytes on stdin,
/// stdout either buffered or handed to a streaming consumer, stderr kept (bounded) for errors.
/// Cancellation and the timeout kill the whole process tree.
/// </summary>
internal static class FfmpegProcess
{
    private const int MaxStderrChars = 16 * 1024;

    /// <param name="stdoutConsumer">Reads stdout as it streams; null buffers it into the result.</param>
    public static async Task<FfmpegResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        ReadOnlyMemory<byte>? standardInput,
        Func<Stream, CancellationToken, Task>? stdoutConsumer,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new MediaException(
                MediaErrorKind.FfmpegMissing,
                $"Could not start {Path.GetFileName(executable)} ({e.Message}). {FfmpegTools.InstallHint}",
                e);
        }

        using var timeoutCts = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var token = linked.Token;
        await using var killOnCancel = token.Register(static state => Kill((Process)state!), process).ConfigureAwait(false);

        // 1. Feed stdin (or close it at once so ffmpeg never waits on it).
        var stdinTask = WriteStdinAsync(process, standardInput, token);

        // 2. Drain stderr concurrently so a chatty ffmpeg never blocks on a full pipe.
        var stderrTask = ReadBoundedAsync(process.StandardError, token);

        // 3. Stream or buffer stdout.
        byte[] stdout = [];
        Exception? consumerError = null;
        try
        {
            if (stdoutConsumer is not null)
            {
                await stdoutConsumer(process.StandardOutput.BaseStream, token).ConfigureAwait(false);

                // Drain whatever the consumer did not want so ffmpeg can exit.
                await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, token).ConfigureAwait(false);
            }
            else
            {
                using var buffer = new MemoryStream();
                await process.StandardOutput.BaseStream.CopyToAsync(buffer, token).ConfigureAwait(false);
                stdout = buffer.ToArray();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            consumerError = e;
            Kill(process);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
        }

        string stderr;
        try
        {
            await stdinTask.ConfigureAwait(false);
            stderr = await stderrTask.ConfigureAwait(false);
            await process.WaitForExitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            stderr = string.Empty;
        }

        // 4. Map cancellation and timeout (both have killed the tree by now).
        if (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        if (timeoutCts.IsCancellationRequested)
        {
            throw new MediaException(
                MediaErrorKind.Timeout,
                $"{Path.GetFileName(executable)} did not finish within {timeout.TotalSeconds:0.#} s and was stopped (Headroom:Media:TimeoutSeconds).");
        }

        if (consumerError is not null)
        {
            if (consumerError is MediaException)
            {
                throw consumerError;
            }

            throw new MediaException(MediaErrorKind.ProcessFailed, $"Reading {Path.GetFileName(executable)} output failed: {consumerError.Message}", consumerError);
        }

        return new FfmpegResult(process.ExitCode, stderr, stdout);
    }

    /// <summary>The last meaningful stderr line, for an error message a user can read.</summary>
    public static string Summarize(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return "no diagnostic output";
        }

        var tail = lines.Length <= 3 ? lines : lines[^3..];
        return string.Join(" | ", tail);
    }

    private static async Task WriteStdinAsync(Process process, ReadOnlyMemory<byte>? input, CancellationToken token)
    {
        var stdin = process.StandardInput.BaseStream;
        try
        {
            if (input is { } bytes && !bytes.IsEmpty)
            {
                await stdin.WriteAsync(bytes, token).ConfigureAwait(false);
                await stdin.FlushAsync(token).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // ffmpeg closed its stdin early (it had read enough, or it failed and says why on stderr).
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader, CancellationToken token)
    {
        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), token).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxStderrChars * 2)
            {
                text.Remove(0, text.Length - MaxStderrChars);
            }
        }

        return text.Length > MaxStderrChars ? text.ToString(text.Length - MaxStderrChars, MaxStderrChars) : text.ToString();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (Win32Exception)
        {
            // Exiting while we tried.
        }
    }
}
