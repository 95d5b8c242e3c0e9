using System.Buffers.Binary;

namespace Headroom.Media.Images;

/// <summary>
/// Format, size and the few flags that steer re-encoding, read from the image header in C#
/// (no ffmpeg, so the "already small enough" verdict costs microseconds).
/// </summary>
public sealed record ImageHeader(ImageFormat Format, ImageDimensions Size, bool HasAlpha, bool IsAnimated, int ExifOrientation)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public string MediaType => Format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Gif => "image/gif",
        ImageFormat.WebP => "image/webp",
        _ => "application/octet-stream",
    };

    /// <summary>Size as displayed: EXIF orientations 5–8 swap width and height.</summary>
    public ImageDimensions DisplaySize => ExifOrientation is >= 5 and <= 8 ? new ImageDimensions(Size.Height, Size.Width) : Size;

    /// <summary>Reads the header; null when the bytes are not a PNG, JPEG, GIF or WebP with a readable size.</summary>
    public static ImageHeader? TryRead(ReadOnlySpan<byte> data)
    {
        try
        {
            if (data.Length >= 24 && data[..8].SequenceEqual(PngSignature))
            {
                return ReadPng(data);
            }

            if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8)
            {
                return ReadJpeg(data);
            }

            if (data.Length >= 10 && (data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8)))
            {
                var size = new ImageDimensions(BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]));
                return new ImageHeader(ImageFormat.Gif, size, HasAlpha: true, IsAnimated: CountGifFrames(data) > 1, 1);
            }

            if (data.Length >= 30 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
            {
                return ReadWebP(data);
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // Truncated header.
        }

        return null;
    }

    private static ImageHeader? ReadPng(ReadOnlySpan<byte> data)
    {
        if (!data[12..16].SequenceEqual("IHDR"u8))
        {
            return null;
        }

        var size = new ImageDimensions((int)BinaryPrimitives.ReadUInt32BigEndian(data[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        var colorType = data[25];
        var alpha = colorType is 4 or 6;
        var animated = false;

        // Walk the chunks before the image data: tRNS means transparency, acTL means APNG.
        var offset = 8;
        while (offset + 8 <= data.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
            var type = data.Slice(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || length < 0)
            {
                break;
            }

            alpha |= type.SequenceEqual("tRNS"u8);
            animated |= type.SequenceEqual("acTL"u8);
            offset += 12 + length;
        }

        return size.Width > 0 && size.Height > 0 ? new ImageHeader(ImageFormat.Png, size, alpha, animated, 1) : null;
    }

    private static ImageHeader? ReadJpeg(ReadOnlySpan<byte> data)
    {
        var orientation = 1;
        var offset = 2;
        while (offset + 4 <= data.Length)
        {
            if (data[offset] != 0xFF)
            {
                return null;
            }

            var marker = data[offset + 1];
            if (marker == 0xFF)
            {
                offset++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                offset += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var segment = data.Slice(offset + 4, Math.Min(length - 2, data.Length - offset - 4));
            if (marker == 0xE1 && segment.Length > 6 && segment[..6].SequenceEqual("Exif\0\0"u8))
            {
                orientation = ReadExifOrientation(segment[6..]);
            }

            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                var size = new ImageDimensions(BinaryPrimitives.ReadUInt16BigEndian(segment[3..]), BinaryPrimitives.ReadUInt16BigEndian(segment[1..]));
                return size.Width > 0 && size.Height > 0 ? new ImageHeader(ImageFormat.Jpeg, size, HasAlpha: false, IsAnimated: false, orientation) : null;
            }

            offset += 2 + length;
        }

        return null;
    }

    private static int ReadExifOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 1;
        }

        var little = tiff[0] == (byte)'I';
        ushort U16(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);
        uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);

        var ifd = (int)U32(tiff[4..]);
        if (ifd < 8 || ifd + 2 > tiff.Length)
        {
            return 1;
        }

        var entries = U16(tiff[ifd..]);
        for (var i = 0; i < entries; i++)
        {
            var entry = ifd + 2 + (i * 12);
            if (entry + 12 > tiff.Length)
            {
                break;
            }

            if (U16(tiff[entry..]) == 0x0112)
            {
                var value = U16(tiff[(entry + 8)..]);
                return value is >= 1 and <= 8 ? value : 1;
            }
        }

        return 1;
    }

    private static int CountGifFrames(ReadOnlySpan<byte> data)
    {
        // Image descriptors start with 0x2C after a graphic control extension (21 F9); counting the
        // extensions is enough to tell one frame from many.
        var count = 0;
        for (var i = 13; i + 1 < data.Length && count < 2; i++)
        {
            if (data[i] == 0x21 && data[i + 1] == 0xF9)
            {
                count++;
            }
        }

        return count;
    }

    private static ImageHeader? ReadWebP(ReadOnlySpan<byte> data)
    {
        var chunk = data[12..16];
        ImageDimensions size;
        var alpha = false;
        var animated = false;
        if (chunk.SequenceEqual("VP8X"u8))
        {
            var flags = data[20];
            alpha = (flags & 0x10) != 0;
            animated = (flags & 0x02) != 0;
            size = new ImageDimensions(1 + (data[24] | (data[25] << 8) | (data[26] << 16)), 1 + (data[27] | (data[28] << 8) | (data[29] << 16)));
        }
        else if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            size = new ImageDimensions((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
            alpha = ((bits >> 28) & 1) != 0;
        }
        else if (chunk.SequenceEqual("VP8 "u8))
        {
            size = new ImageDimensions(BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF);
        }
        else
        {
            return null;
        }

        return size.Width > 0 && size.Height > 0 ? new ImageHeader(ImageFormat.WebP, size, alpha, animated, 1) : null;
    }
}
