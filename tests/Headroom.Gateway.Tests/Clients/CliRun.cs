namespace Headroom.Gateway.Tests.Clients;

/// <summary>How a CLI run ended: its exit code (null when it had to be killed) and what it printed.</summary>
public sealed record CliRun(int? ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode?.ToString() ?? "(killed: no exit in time)"}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
