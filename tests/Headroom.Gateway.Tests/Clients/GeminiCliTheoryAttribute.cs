namespace Headroom.Gateway.Tests.Clients;

/// <summary>
/// A theory over the real Gemini CLI. A missing CLI fails the test (it says how to install it) unless
/// <c>HEADROOM_ALLOW_MISSING_CLIENTS=1</c>, when the runner shows it skipped with the same reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GeminiCliTheoryAttribute : TheoryAttribute
{
    public GeminiCliTheoryAttribute()
    {
        if (!GeminiCli.IsInstalled && Environment.GetEnvironmentVariable(GeminiCli.AllowMissingVariable) == "1")
        {
            Skip = $"{GeminiCli.MissingReason} (skipped: {GeminiCli.AllowMissingVariable}=1)";
        }
    }
}
