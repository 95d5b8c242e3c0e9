using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Headroom.Media.Images;

namespace Headroom.Media.Tests.Images;

/// <summary>
/// Crafted and damaged images: each must come back as a verdict (never an exception, never a hang), and a
/// decompression bomb must be refused from its header before any decoder allocates its pixels.
/// </summary>
public sealed class ImageFuzzTests : IClassFixture<ImageFuzzTests.Fixture>
{
    /// <summary>Generous bound for one verdict on this shared 2-core machine; the budget itself is 2 s.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static readonly ImageOptimizerOptions Options = ImageOptimizerOptions.Default with { TimeBudget = TimeSpan.FromSeconds(2) };

    private readonly Fixture _fixture;

    public ImageFuzzTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task PngDeclaring16000Squared_RefusedFromTheHeader_BeforeAnyDecoderRuns()
    {
        var bomb = Fixture.PngBomb(16000, 16000);
        Assert.InRange(bomb.Length, 500_000, 1_000_000); // zlib packs the 768 MB of zero rows into ~746 KB

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var result = await ImageOptimizer.OptimizeAsync(bomb, MediaProvider.Anthropic, Options);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(ImageRewriteOutcome.OverPixelBudget, result.Outcome);
        Assert.Contains("16000x16000", result.Reason, StringComparison.Ordinal);
        // Decoding would allocate 1 GB of pixels; the header check allocates about one copy of the upload.
        Assert.True(allocated < 3L * bomb.Length + 1_000_000, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(65000, 65000)]
    [InlineData(40000, 1001)]
    public async Task JpegDeclaringHugeSize_RefusedFromTheHeader(int width, int height)
    {
        var jpeg = _fixture.Media.Image("testsrc2", 320, 240, "mjpeg");
        var lying = Fixture.WithJpegSize(jpeg, width, height);

        var result = await ImageOptimizer.OptimizeAsync(lying, MediaProvider.Anthropic, Options);

        Assert.Equal(ImageRewriteOutcome.OverPixelBudget, result.Outcome);
    }

    [Fact]
    public async Task PngUnderTheBudget_WithTruncatedPixelData_FailsOpen()
    {
        // 6000×6000 fits the pixel budget, but the data stops after a few rows.
        var png = Fixture.PngBomb(6000, 6000, rows: 50);

        var result = await WithinBoundAsync(png);

        Assert.NotEqual(ImageRewriteOutcome.OverPixelBudget, result.Outcome);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("mjpeg")]
    [InlineData("gif")]
    [InlineData("libwebp")]
    public async Task TruncatedAtEveryTenth_NeverThrowsNorHangs(string codec)
    {
        var image = _fixture.Large(codec);
        for (var tenth = 1; tenth < 10; tenth++)
        {
            var cut = image[..(image.Length * tenth / 10)];
            var result = await WithinBoundAsync(cut);
            Assert.False(result.Replaced && result.Bytes.IsEmpty);
        }
    }

    [Theory]
    [InlineData("png")]
    [InlineData("mjpeg")]
    [InlineData("gif")]
    [InlineData("libwebp")]
    public async Task RandomByteFlips_NeverThrowNorHang(string codec)
    {
        var image = _fixture.Large(codec);
        var random = new Random(codec.Length * 7919);
        for (var round = 0; round < 12; round++)
        {
            var mutated = (byte[])image.Clone();
            for (var flips = 0; flips < 1 + (round % 4 * 8); flips++)
            {
                // Mostly the first kilobyte, where the headers are.
                var at = random.Next(round % 2 == 0 ? Math.Min(1024, mutated.Length) : mutated.Length);
                mutated[at] = (byte)random.Next(256);
            }

            await WithinBoundAsync(mutated);
        }
    }

    [Fact]
    public async Task WrongMagic_Unsupported_OrRefused()
    {
        var jpeg = _fixture.Large("mjpeg");
        var png = _fixture.Large("png");
        byte[] pngMagicOverJpeg = [.. png[..8], .. jpeg[8..]];
        byte[] jpegMagicOverPng = [0xFF, 0xD8, .. png[2..]];
        var noise = new byte[200_000];
        new Random(11).NextBytes(noise);

        foreach (var bytes in new[] { pngMagicOverJpeg, jpegMagicOverPng, noise, "GIF89a"u8.ToArray(), "RIFF\0\0\0\0WEBPVP8 "u8.ToArray() })
        {
            var result = await WithinBoundAsync(bytes);
            Assert.False(result.Replaced, result.Reason);
        }
    }

    [Fact]
    public async Task TimeBudget_Spent_ImageGoesAsSent_AndTheAbandonedWorkEnds()
    {
        var jpeg = _fixture.Large("mjpeg");

        var result = await ImageOptimizer.OptimizeAsync(jpeg, MediaProvider.Anthropic, Options with { TimeBudget = TimeSpan.FromTicks(1) });

        Assert.Equal(ImageRewriteOutcome.TimedOut, result.Outcome);
        Assert.False(result.Replaced);
        await result.Completion.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Bound);
    }

    private static async Task<ImageRewrite> WithinBoundAsync(byte[] image)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await ImageOptimizer.OptimizeAsync(image, MediaProvider.Anthropic, Options).WaitAsync(Bound);
        Assert.True(stopwatch.Elapsed < Bound, $"took {stopwatch.Elapsed}");
        if (result.Replaced)
        {
            Assert.NotNull(ImageHeader.TryRead(result.Bytes.Span));
        }

        return result;
    }

    public sealed class Fixture : IDisposable
    {
        private readonly Dictionary<string, byte[]> _large = [];

        public TestMedia Media { get; } = new();

        /// <summary>A 2400×1600 image worth downscaling, once per codec.</summary>
        public byte[] Large(string codec)
        {
            lock (_large)
            {
                if (!_large.TryGetValue(codec, out var bytes))
                {
                    bytes = Media.Image("testsrc2", 2400, 1600, codec, codec == "gif" ? ["-f", "gif"] : []);
                    _large[codec] = bytes;
                }

                return bytes;
            }
        }

        /// <summary>A PNG whose IHDR declares <paramref name="width"/>×<paramref name="height"/> RGB with only the first rows of (zero) data.</summary>
        public static byte[] PngBomb(int width, int height, int? rows = null)
        {
            using var output = new MemoryStream();
            output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
            var ihdr = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
            BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
            ihdr[8] = 8; // bit depth
            ihdr[9] = 2; // RGB
            Chunk(output, "IHDR"u8, ihdr);

            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                var row = new byte[1 + (width * 3)];
                for (var r = 0; r < (rows ?? height); r++)
                {
                    zlib.Write(row);
                }
            }

            Chunk(output, "IDAT"u8, compressed.ToArray());
            Chunk(output, "IEND"u8, []);
            return output.ToArray();
        }

        /// <summary>The JPEG with its SOF frame size rewritten.</summary>
        public static byte[] WithJpegSize(byte[] jpeg, int width, int height)
        {
            var copy = (byte[])jpeg.Clone();
            for (var i = 2; i + 9 < copy.Length; i++)
            {
                if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC2)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)height);
                    BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)width);
                    return copy;
                }
            }

            throw new InvalidOperationException("No SOF marker in the test JPEG.");
        }

        public void Dispose() => Media.Dispose();

        private static void Chunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            output.Write(length);
            output.Write(type);
            output.Write(data);
            var crc = Crc32(0xFFFFFFFF, type);
            crc = Crc32(crc, data) ^ 0xFFFFFFFF;
            Span<byte> sum = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(sum, crc);
            output.Write(sum);
        }

        /// <summary>The PNG chunk CRC (ISO 3309, reflected 0xEDB88320), bit by bit: test data is small.</summary>
        private static uint Crc32(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
                }
            }

            return crc;
        }
    }
}
