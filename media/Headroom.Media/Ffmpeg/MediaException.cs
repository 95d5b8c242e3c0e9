namespace Headroom.Media.Ffmpeg;

/// <summary>An expected media failure with a message a user can act on.</summary>
public sealed class MediaException : Exception
{
    public MediaException()
    {
    }

    public MediaException(string message)
        : base(message)
    {
    }

    public MediaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MediaException(MediaErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public MediaErrorKind Kind { get; } = MediaErrorKind.ProcessFailed;
}
