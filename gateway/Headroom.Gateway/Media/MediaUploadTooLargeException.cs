namespace Headroom.Gateway.Media;

/// <summary>An upload passed the configured limit while it was being read.</summary>
internal sealed class MediaUploadTooLargeException : Exception
{
    public MediaUploadTooLargeException()
    {
    }

    public MediaUploadTooLargeException(string message)
        : base(message)
    {
    }

    public MediaUploadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
