namespace Headroom.Compressors.Logs;

internal enum LogLineKind : byte
{
    Normal,
    PassingTest,
    FailureStart,
    Summary,
    Error,
    StackFrame,
    Warning,
}
