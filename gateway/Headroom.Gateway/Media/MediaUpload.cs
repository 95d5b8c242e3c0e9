using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Headroom.Gateway.Media;

/// <summary>
/// Reads an upload, either the first file part of a <c>multipart/form-data</c> body or the raw body, into a
/// destination stream while enforcing a byte limit (413 before reading when Content-Length says so).
/// </summary>
internal static class MediaUpload
{
    public static async Task<long> CopyAsync(HttpRequest request, Stream destination, long limit, CancellationToken cancellationToken)
    {
        // 1. Refuse early when the client announced too much.
        if (request.ContentLength is { } announced && announced > limit + MultipartSlack(request))
        {
            throw new MediaUploadTooLargeException(TooLarge(announced, limit));
        }

        // 2. Kestrel's own limit (30 MB by default) must not answer first with a bare 413: raised when the upload
        //    limit is above it, never lowered. Below it, the copy enforces the limit; Kestrel then reads and discards
        //    the rest of an over-limit body after the 413, so a client still sending gets the error, not a broken pipe.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false, MaxRequestBodySize: { } kestrelLimit } && kestrelLimit < limit + MultipartSlack(request))
        {
            sizeFeature.MaxRequestBodySize = limit + MultipartSlack(request);
        }

        try
        {
            // 3. Multipart: the first part that carries a file (or is named "file").
            if (MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
                && contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
                if (string.IsNullOrEmpty(boundary))
                {
                    throw new InvalidDataException("The multipart/form-data body has no boundary.");
                }

                var reader = new MultipartReader(boundary, request.Body);
                while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
                {
                    if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        && (disposition.IsFileDisposition() || string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "file", StringComparison.Ordinal)))
                    {
                        return await CopyLimitedAsync(section.Body, destination, limit, cancellationToken).ConfigureAwait(false);
                    }
                }

                throw new InvalidDataException("The multipart/form-data body has no file part (send the file as a part named \"file\").");
            }

            // 4. Raw body.
            return await CopyLimitedAsync(request.Body, destination, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new MediaUploadTooLargeException(TooLarge(null, limit), e);
        }
    }

    public static string TooLarge(long? size, long limit) =>
        size is { } s
            ? $"The upload is {s:N0} bytes; the limit is {limit:N0} bytes (Headroom:Media:MaxUploadBytes / MaxImageUploadBytes)."
            : $"The upload exceeds the limit of {limit:N0} bytes (Headroom:Media:MaxUploadBytes / MaxImageUploadBytes).";

    private static long MultipartSlack(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true ? 64 * 1024 : 0;

    private static async Task<long> CopyLimitedAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new MediaUploadTooLargeException(TooLarge(null, limit));
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return total;
    }
}
