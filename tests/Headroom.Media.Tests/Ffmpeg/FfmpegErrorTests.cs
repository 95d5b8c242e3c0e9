using System.Diagnostics;
using FFMpegCore;
using FFMpegCore.Pipes;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Keyframes;

namespace Headroom.Media.Tests.Ffmpeg;

[Collection(ProcessTreeCollection.Name)]
public sealed class FfmpegErrorTests : IClassFixture<FfmpegErrorTests.Files>
{
    private readonly Files _files;

    public FfmpegErrorTests(Files files)
    {
        _files = files;
    }

    [Fact]
    public void Locate_MissingConfiguredFfmpeg_NamesTheDebianPackage()
    {
        var error = Assert.Throws<MediaException>(() => FfmpegTools.Locate(new FfmpegOptions { FfmpegPath = "/nonexistent/bin/ffmpeg" }));

        Assert.Equal(MediaErrorKind.FfmpegMissing, error.Kind);
        Assert.Contains("apt-get install ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.Contains("package `ffmpeg`", error.Message, StringComparison.Ordinal);
        Assert.Null(FfmpegTools.TryLocate(new FfmpegOptions { FfmpegPath = "/nonexistent/bin/ffmpeg" }));
    }

    [Fact]
    public void Locate_DirectoryWithoutFfprobe_TakesFfmpegFromThereAndFfprobeFromPath()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = Directory.CreateTempSubdirectory("headroom-noffprobe-").FullName;
        try
        {
            var fake = Path.Combine(dir, "ffmpeg");
            File.WriteAllText(fake, "#!/bin/sh\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var tools = FfmpegTools.Locate(new FfmpegOptions { FfmpegPath = dir });

            Assert.Equal(fake, tools.FfmpegPath);
            Assert.Equal(_files.Media.Tools.FfprobePath, tools.FfprobePath);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Sample_PlaylistDisguisedAsMp4_RefusedWithoutOpeningWhatItNames(bool localFile)
    {
        // An HLS playlist named .mp4: auto-detected, ffmpeg would read what it lists: a local MPEG-TS file
        // that would decode (and leak into the frames), or a URL.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var playlist = Path.Combine(_files.Media.Directory, $"playlist-{localFile}.mp4");
        var entry = localFile ? _files.Segment : $"http://127.0.0.1:{port}/segment.ts";
        File.WriteAllText(playlist, $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:8,\n{entry}\n#EXT-X-ENDLIST\n");
        try
        {
            // A bounded run: were the URL opened, ffmpeg would wait on the silent listener.
            var tools = FfmpegTools.Locate(new FfmpegOptions { Timeout = TimeSpan.FromSeconds(20) });
            var error = await Assert.ThrowsAsync<MediaException>(() => new KeyframeSampler(tools).SampleAsync(playlist));

            Assert.Equal(MediaErrorKind.InvalidMedia, error.Kind);
            Assert.False(listener.Pending(), "ffmpeg connected to the URL in the playlist");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Locate_ConfiguredDirectory_FindsBoth()
    {
        var tools = FfmpegTools.Locate(new FfmpegOptions { FfmpegPath = Path.GetDirectoryName(_files.Media.Tools.FfmpegPath) });

        Assert.Equal(_files.Media.Tools.FfmpegPath, tools.FfmpegPath);
        Assert.EndsWith("ffprobe", tools.FfprobePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_CorruptFile_ClearInvalidMediaError()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => new KeyframeSampler(_files.Media.Tools).SampleAsync(_files.Corrupt));

        Assert.Equal(MediaErrorKind.InvalidMedia, error.Kind);
        Assert.Contains("corrupt.mp4", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable video", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_TruncatedFile_MoovMissing_ClearError()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => new KeyframeSampler(_files.Media.Tools).SampleAsync(_files.Truncated));

        Assert.Equal(MediaErrorKind.InvalidMedia, error.Kind);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("moov atom not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_TruncatedFastStartFile_ClearError()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => new KeyframeSampler(_files.Media.Tools).SampleAsync(_files.TruncatedFastStart));

        Assert.Equal(MediaErrorKind.InvalidMedia, error.Kind);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_MissingFile_FileNotFound()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => new KeyframeSampler(_files.Media.Tools).SampleAsync(Path.Combine(_files.Media.Directory, "nope.mp4")));
    }

    [Fact]
    public async Task Sample_AudioOnly_NoVideoStream()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => new KeyframeSampler(_files.Media.Tools).SampleAsync(_files.AudioOnly));

        Assert.Equal(MediaErrorKind.NoVideoStream, error.Kind);
    }

    [Fact]
    public async Task Run_Timeout_KillsTheProcessTree_AndSaysSo()
    {
        var tools = FfmpegTools.Locate(new FfmpegOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var stopwatch = Stopwatch.StartNew();

        var processor = FFMpegArguments
            .FromFileInput("testsrc2=s=320x180:r=10:d=60", verifyExists: false, input => input.WithCustomArgument("-re -f lavfi"))
            .OutputToPipe(new StreamPipeSink(Stream.Null) { Format = "rawvideo" });

        var error = await Assert.ThrowsAsync<MediaException>(() => FfmpegRunner.RunAsync(processor, tools, tools.Timeout, CancellationToken.None));

        Assert.Equal(MediaErrorKind.Timeout, error.Kind);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20));
        AssertNoChildFfmpeg("d=60");
    }

    [Fact]
    public async Task Sample_Cancelled_ThrowsOperationCanceled_AndLeavesNoProcess()
    {
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Phase == "analysing" && p.Fraction > 0)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new KeyframeSampler(_files.Media.Tools).SampleAsync(_files.Long, progress: progress, cancellationToken: cts.Token));
        AssertNoChildFfmpeg("long.mp4");
    }

    /// <summary>No live ffmpeg child of this test process whose command line mentions <paramref name="marker"/>.</summary>
    private static void AssertNoChildFfmpeg(string marker)
    {
        var me = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var survivors = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var status = File.ReadAllLines(Path.Combine(dir, "status"));
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                    if (status.Contains("Name:\tffmpeg") && status.Contains("PPid:\t" + me)
                        && !status.Any(l => l.StartsWith("State:\tZ", StringComparison.Ordinal))
                        && cmdline.Contains(marker, StringComparison.Ordinal))
                    {
                        survivors++;
                    }
                }
                catch (IOException)
                {
                    // The process went away while we looked.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            if (survivors == 0)
            {
                return;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"an ffmpeg child process ({marker}) survived");
    }

    private sealed class SyncProgress(Action<SamplingProgress> onReport) : IProgress<SamplingProgress>
    {
        public void Report(SamplingProgress value) => onReport(value);
    }

    public sealed class Files : IDisposable
    {
        public Files()
        {
            Media = new TestMedia();
            var good = Media.Video("good.mp4", 320, 180, 10, [("testsrc2", 8)]);
            var fastStart = Media.Video("faststart.mp4", 320, 180, 10, [("testsrc2", 8)], "-movflags", "+faststart");
            Long = Media.Video("long.mp4", 320, 180, 10, [("testsrc2", 120)]);
            Segment = Media.Video("segment.ts", 320, 180, 10, [("testsrc2", 8)]);

            Corrupt = Path.Combine(Media.Directory, "corrupt.mp4");
            var noise = new byte[200_000];
            new Random(7).NextBytes(noise);
            File.WriteAllBytes(Corrupt, noise);

            Truncated = Path.Combine(Media.Directory, "truncated.mp4");
            var bytes = File.ReadAllBytes(good);
            File.WriteAllBytes(Truncated, bytes[..(bytes.Length / 2)]);

            TruncatedFastStart = Path.Combine(Media.Directory, "truncated-faststart.mp4");
            var fs = File.ReadAllBytes(fastStart);
            File.WriteAllBytes(TruncatedFastStart, fs[..(fs.Length * 2 / 3)]);

            AudioOnly = Path.Combine(Media.Directory, "audio.m4a");
            var info = new ProcessStartInfo(Media.Tools.FfmpegPath) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var a in new[] { "-v", "error", "-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac", AudioOnly })
            {
                info.ArgumentList.Add(a);
            }

            using var p = Process.Start(info)!;
            p.WaitForExit();
        }

        public TestMedia Media { get; }

        public string Corrupt { get; }

        public string Truncated { get; }

        public string TruncatedFastStart { get; }

        public string AudioOnly { get; }

        public string Long { get; }

        public string Segment { get; }

        public void Dispose() => Media.Dispose();
    }
}
