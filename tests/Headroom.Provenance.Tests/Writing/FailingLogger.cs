using Microsoft.Extensions.Logging;

namespace Headroom.Provenance.Tests.Writing;

/// <summary>A logging provider that breaks: the first <see cref="Failures"/> warnings throw (a real fault of a host's logging).</summary>
internal sealed class FailingLogger : ILogger
{
    private int _failures;

    public int Failures { get => _failures; set => _failures = value; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.Warning && Interlocked.Decrement(ref _failures) >= 0)
        {
            throw new InvalidOperationException("logging provider failed (test)");
        }
    }
}
