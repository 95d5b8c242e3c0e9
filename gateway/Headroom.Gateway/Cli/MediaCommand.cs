using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Headroom.Gateway.Media;
using Headroom.Gateway.Pricing;
using Headroom.Media.Cost;
using Headroom.Media.Ffmpeg;
using Headroom.Media.Images;
using Headroom.Media.Keyframes;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Headroom.Gateway.Cli;

/// <summary>
/// <c>headroom media video FILE [--provider anthropic|openai] [--model M] [--max-frames N] [--out DIR] [--json]</c>
/// and <c>headroom media image FILE ...</c>: keyframe sampling and image downscaling with a cost estimate.
/// Exit codes: 0 done, 2 bad usage or unreadable media, 3 ffmpeg missing, 4 ffmpeg timed out.
/// </summary>
internal static class MediaCommand
{
    public static Command Create()
    {
        var media = new Command("media", "Sample keyframes from a video or downscale an image to the provider's token-optimal size, with token and dollar estimates.");
        media.Subcommands.Add(CreateVideo());
        media.Subcommands.Add(CreateImage());
        return media;
    }

    private static Command CreateVideo()
    {
        var common = new CommonOptions();
        var maxFrames = new Option<int>("--max-frames") { Description = "At most this many frames (the first is always kept).", DefaultValueFactory = _ => KeyframeOptions.Default.MaxFrames };
        var minInterval = new Option<double>("--min-interval") { Description = "Minimum seconds between the two frames of one scene.", DefaultValueFactory = _ => KeyframeOptions.Default.MinIntervalSeconds };
        var perMinute = new Option<double>("--frames-per-minute") { Description = "Frame budget per minute of video (at least one frame).", DefaultValueFactory = _ => KeyframeOptions.Default.FramesPerMinute };
        var command = new Command("video", "Keep the distinct moments of a video as token-optimal JPEGs; compare with sending 1 frame per second.") { common.File };
        common.AddTo(command);
        command.Options.Add(maxFrames);
        command.Options.Add(minInterval);
        command.Options.Add(perMinute);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!common.TryRead(parse, out var input, out var error))
            {
                await Console.Error.WriteLineAsync($"headroom media video: {error}").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(maxFrames) < 1 || parse.GetValue(minInterval) < 0 || parse.GetValue(perMinute) <= 0)
            {
                await Console.Error.WriteLineAsync("headroom media video: --max-frames must be at least 1, --min-interval not negative and --frames-per-minute positive.").ConfigureAwait(false);
                return 2;
            }

            var options = KeyframeOptions.Default with
            {
                Provider = input.Provider,
                MaxFrames = parse.GetValue(maxFrames),
                FramesPerMinute = parse.GetValue(perMinute),
                MinIntervalSeconds = parse.GetValue(minInterval),
                MaxLongEdge = input.MaxLongEdge,
            };
            return await RunGuardedAsync("video", () => RunVideoAsync(input, options, cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateImage()
    {
        var common = new CommonOptions();
        var command = new Command("image", "Downscale and re-encode an image to the provider's token-optimal size (never upscales; small images are left alone).") { common.File };
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!common.TryRead(parse, out var input, out var error))
            {
                await Console.Error.WriteLineAsync($"headroom media image: {error}").ConfigureAwait(false);
                return 2;
            }

            return await RunGuardedAsync("image", () => RunImageAsync(input, cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunGuardedAsync(string verb, Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (MediaException e)
        {
            await Console.Error.WriteLineAsync($"headroom media {verb}: {e.Message}").ConfigureAwait(false);
            return e.Kind switch
            {
                MediaErrorKind.FfmpegMissing => 3,
                MediaErrorKind.Timeout => 4,
                _ => 2,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"headroom media {verb}: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<int> RunVideoAsync(Input input, KeyframeOptions options, CancellationToken cancellationToken)
    {
        var tools = FfmpegTools.Locate(input.Settings.FfmpegOptions);
        var sampler = new KeyframeSampler(tools);
        KeyframeResult result;
        if (input.Json || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            result = await sampler.SampleAsync(input.Path, options, null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            result = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    // The analysing bar follows ffmpeg's own progress (FFMpegCore's progress callback).
                    var analyse = context.AddTask("Analysing scenes", maxValue: 1);
                    var extract = context.AddTask("Encoding frames", maxValue: 1);
                    var progress = new Progress<SamplingProgress>(p => (p.Phase == "analysing" ? analyse : extract).Value = p.Fraction);
                    var sampled = await sampler.SampleAsync(input.Path, options, progress, cancellationToken).ConfigureAwait(false);
                    analyse.Value = 1;
                    extract.Value = 1;
                    return sampled;
                }).ConfigureAwait(false);
        }

        var cost = MediaCostEstimator.ForVideo(result.Video, result.Frames, input.Provider, input.Price?.Input);
        var paths = new string?[result.Frames.Count];
        if (input.OutDirectory is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            foreach (var frame in result.Frames)
            {
                var path = Path.Combine(outDir, string.Create(CultureInfo.InvariantCulture, $"frame-{frame.Index + 1:D3}-{frame.TimestampSeconds:0000.000}s.jpg"));
                await File.WriteAllBytesAsync(path, frame.Bytes, cancellationToken).ConfigureAwait(false);
                paths[frame.Index] = Path.GetFullPath(path);
            }
        }

        if (input.Json)
        {
            await WriteJsonAsync(w =>
            {
                w.WriteStartArray("frames");
                foreach (var frame in result.Frames)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", frame.Index);
                    w.WriteNumber("timestampSeconds", Math.Round(frame.TimestampSeconds, 3));
                    w.WriteNumber("width", frame.Width);
                    w.WriteNumber("height", frame.Height);
                    w.WriteNumber("tokens", frame.Tokens);
                    w.WriteString("reason", frame.ReasonName);
                    if (paths[frame.Index] is { } p)
                    {
                        w.WriteString("path", p);
                    }
                    else
                    {
                        w.WriteNull("path");
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                WriteCost(w, cost, input);
                w.WriteNumber("framesBefore", cost.ImagesBefore);
                w.WriteNumber("durationSeconds", Math.Round(result.Video.DurationSeconds, 3));
                w.WriteNumber("sceneCuts", result.SceneCutsSeconds.Count);
                w.WriteNumber("elapsedSeconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            }, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var video = result.Video;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(input.Path)}: {video.Width}x{video.Height} {video.Codec}, {video.DurationSeconds:0.0} s at {video.FramesPerSecond:0.##} fps; {result.SceneCutsSeconds.Count} scene cuts; sampled in {result.Elapsed.TotalSeconds:0.0} s")));
        var frames = new Table().AddColumns("#", "time", "why", "size", "tokens", "file");
        foreach (var frame in result.Frames)
        {
            frames.AddRow(
                (frame.Index + 1).ToString(CultureInfo.InvariantCulture),
                Headroom.Media.Content.ProviderContent.FormatTimestamp(frame.TimestampSeconds),
                frame.ReasonName,
                $"{frame.Width}x{frame.Height}",
                frame.Tokens.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(paths[frame.Index] ?? "-"));
        }

        AnsiConsole.Write(frames);
        AnsiConsole.Write(SummaryTable(cost, input, "frames", "1 fps at source size", "kept keyframes"));
        return 0;
    }

    private static async Task<int> RunImageAsync(Input input, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(input.Path, cancellationToken).ConfigureAwait(false);
        var options = input.Settings.ImageOptions(input.Settings.ImageTimeBudgetMs, input.MaxLongEdge) with { MaxInputBytes = ImageOptimizerOptions.Default.MaxInputBytes };
        var rewrite = await ImageOptimizer.OptimizeAsync(bytes, input.Provider, options, null, cancellationToken).ConfigureAwait(false);
        if (rewrite.Outcome is ImageRewriteOutcome.OverPixelBudget or ImageRewriteOutcome.EncodeFailed or ImageRewriteOutcome.TimedOut)
        {
            throw new InvalidDataException($"'{Path.GetFileName(input.Path)}' was left as it is: {rewrite.Reason}.");
        }

        var cost = MediaCostEstimator.ForImage(rewrite, input.Price?.Input);
        string? path = null;
        if (input.OutDirectory is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            var extension = rewrite.MediaType == "image/png" ? ".png" : rewrite.MediaType == "image/jpeg" ? ".jpg" : Path.GetExtension(input.Path);
            path = Path.GetFullPath(Path.Combine(outDir, Path.GetFileNameWithoutExtension(input.Path) + (rewrite.Replaced ? ".optimized" : string.Empty) + extension));
            await File.WriteAllBytesAsync(path, rewrite.Replaced ? rewrite.Bytes.ToArray() : bytes, cancellationToken).ConfigureAwait(false);
        }

        if (input.Json)
        {
            await WriteJsonAsync(w =>
            {
                w.WriteBoolean("changed", rewrite.Replaced);
                w.WriteString("outcome", rewrite.Outcome.ToString());
                w.WriteString("reason", rewrite.Reason);
                w.WriteString("mediaType", rewrite.MediaType);
                w.WriteNumber("originalWidth", rewrite.OriginalSize.Width);
                w.WriteNumber("originalHeight", rewrite.OriginalSize.Height);
                w.WriteNumber("width", rewrite.Size.Width);
                w.WriteNumber("height", rewrite.Size.Height);
                w.WriteNumber("bytesBefore", rewrite.BytesBefore);
                w.WriteNumber("bytesAfter", rewrite.BytesAfter);
                if (path is null)
                {
                    w.WriteNull("path");
                }
                else
                {
                    w.WriteString("path", path);
                }

                WriteCost(w, cost, input);
            }, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(input.Path)}: {rewrite.OriginalSize} → {rewrite.Size}, {rewrite.BytesBefore:N0} → {rewrite.BytesAfter:N0} bytes ({rewrite.Reason}){(path is null ? string.Empty : $"; written to {path}")}")));
        AnsiConsole.Write(SummaryTable(cost, input, "images", "as given", "optimised"));
        return 0;
    }

    private static Table SummaryTable(MediaCostEstimate cost, Input input, string unit, string before, string after)
    {
        var priced = input.Price is null ? $"{input.Model}: no price known, tokens only" : $"{input.Model} at ${input.Price.Input.ToString("0.###", CultureInfo.InvariantCulture)}/M input tokens";
        var table = new Table().Title(Markup.Escape($"{input.Provider} ({priced})")).AddColumns(string.Empty, unit, "tokens", "USD");
        table.AddRow(before, cost.ImagesBefore.ToString(CultureInfo.InvariantCulture), cost.TokensBefore.ToString("N0", CultureInfo.InvariantCulture), Usd(cost.UsdBefore));
        table.AddRow(after, cost.ImagesAfter.ToString(CultureInfo.InvariantCulture), cost.TokensAfter.ToString("N0", CultureInfo.InvariantCulture), Usd(cost.UsdAfter));
        table.AddRow("reduction", string.Empty, double.IsInfinity(cost.Reduction) ? "-" : cost.Reduction.ToString("0.0", CultureInfo.InvariantCulture) + "x", string.Empty);
        return table;
    }

    private static string Usd(decimal? usd) => usd is { } v ? "$" + v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static void WriteCost(Utf8JsonWriter w, MediaCostEstimate cost, Input input)
    {
        w.WriteString("provider", input.Provider == MediaProvider.OpenAI ? "openai" : "anthropic");
        w.WriteString("model", input.Model);
        MediaCostJson.WriteFigures(w, cost);
    }

    private static async Task WriteJsonAsync(Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private sealed record Input(
        string Path,
        MediaProvider Provider,
        string Model,
        ModelPrice? Price,
        string? OutDirectory,
        bool Json,
        int? MaxLongEdge,
        MediaSettings Settings);

    /// <summary>The arguments both subcommands share.</summary>
    private sealed class CommonOptions
    {
        public Argument<string> File { get; } = new("FILE") { Description = "The video or image file." };

        public Option<string> Provider { get; } = new("--provider") { Description = "anthropic|openai: whose token rules and prices apply.", DefaultValueFactory = _ => "anthropic" };

        public Option<string?> Model { get; } = new("--model") { Description = "Model to price (default: Headroom:Media:DefaultAnthropicModel / DefaultOpenAIModel)." };

        public Option<string?> Out { get; } = new("--out") { Description = "Directory to write the output image(s) into." };

        public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object for scripts instead of tables." };

        public Option<int?> MaxLongEdge { get; } = new("--max-long-edge") { Description = "Cap the output long edge below the provider optimum (pixels)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Provider);
            command.Options.Add(Model);
            command.Options.Add(Out);
            command.Options.Add(Json);
            command.Options.Add(MaxLongEdge);
        }

        public bool TryRead(ParseResult parse, out Input input, out string error)
        {
            input = null!;
            var path = parse.GetValue(File) ?? string.Empty;
            if (!System.IO.File.Exists(path))
            {
                error = $"file '{path}' does not exist.";
                return false;
            }

            if (MediaSettings.ParseProvider(parse.GetValue(Provider)) is not { } provider)
            {
                error = $"unknown --provider '{parse.GetValue(Provider)}'; use anthropic or openai.";
                return false;
            }

            if (parse.GetValue(MaxLongEdge) is < 16)
            {
                error = "--max-long-edge must be at least 16 pixels.";
                return false;
            }

            var configuration = new ConfigurationBuilder()
                .AddJsonFile(System.IO.Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .Build();
            var settings = MediaSettings.From(configuration);
            var model = parse.GetValue(Model) ?? settings.DefaultModel(provider);
            ModelPrice? price;
            try
            {
                price = ModelPriceTable.FromConfiguration(configuration).Find(model);
            }
            catch (InvalidDataException e)
            {
                error = e.Message;
                return false;
            }

            input = new Input(path, provider, model, price, parse.GetValue(Out), parse.GetValue(Json), parse.GetValue(MaxLongEdge), settings);
            error = string.Empty;
            return true;
        }
    }
}
