using System.Diagnostics;

namespace Headroom.Gateway.Cli;

/// <summary>
/// How each agent CLI is pointed at the gateway. Claude Code reads <c>ANTHROPIC_BASE_URL</c>; Gemini CLI
/// reads <c>GOOGLE_GEMINI_BASE_URL</c> (its <c>GEMINI_API_KEY</c> passes through with the rest of the
/// environment); Codex 0.169.0 ignores <c>OPENAI_BASE_URL</c> for its built-in provider, so it gets a
/// <c>model_providers</c> entry through root-level <c>-c</c> flags, which its subcommands inherit.
/// </summary>
internal enum WrapAgent
{
    /// <summary>Any command line (<c>headroom wrap -- COMMAND</c>): both base URLs are set.</summary>
    Command,
    Claude,
    Codex,
    Gemini,
}

internal static class WrapAgents
{
    public static string Program(WrapAgent agent) => agent switch
    {
        WrapAgent.Claude => "claude",
        WrapAgent.Codex => "codex",
        WrapAgent.Gemini => "gemini",
        _ => throw new ArgumentOutOfRangeException(nameof(agent), agent, "a raw command names its own program"),
    };

    /// <summary>Points the child at <paramref name="baseUrl"/>: environment first, then (Codex) flags before its own arguments.</summary>
    public static void PointAt(WrapAgent agent, ProcessStartInfo start, string baseUrl, string? session)
    {
        switch (agent)
        {
            case WrapAgent.Claude:
                start.Environment["ANTHROPIC_BASE_URL"] = baseUrl;
                break;
            case WrapAgent.Codex:
                start.Environment["OPENAI_BASE_URL"] = baseUrl + "/v1"; // for tools it starts; codex itself takes the flags
                start.ArgumentList.Insert(0, "-c");
                start.ArgumentList.Insert(1, $"model_providers.headroom={{name=\"headroom\",base_url=\"{baseUrl}/v1\",env_key=\"OPENAI_API_KEY\",wire_api=\"responses\"}}");
                start.ArgumentList.Insert(2, "-c");
                start.ArgumentList.Insert(3, "model_provider=headroom");
                break;
            case WrapAgent.Gemini:
                start.Environment["GOOGLE_GEMINI_BASE_URL"] = baseUrl;
                break;
            default:
                start.Environment["ANTHROPIC_BASE_URL"] = baseUrl;
                start.Environment["OPENAI_BASE_URL"] = baseUrl + "/v1";
                break;
        }

        if (session is { Length: > 0 } && agent is WrapAgent.Claude or WrapAgent.Command)
        {
            start.Environment["ANTHROPIC_CUSTOM_HEADERS"] = "x-headroom-session-id: " + session;
        }
    }
}
