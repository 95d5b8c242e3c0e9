using System.CommandLine;
using System.Diagnostics;

namespace Headroom.Gateway.Cli;

/// <summary>
/// <c>headroom wrap -- claude -p "..."</c>: run an agent with its provider base URLs pointed at a
/// running gateway (ANTHROPIC_BASE_URL, OPENAI_BASE_URL), passing its exit code through.
/// </summary>
internal static class WrapCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Gateway address (default http://127.0.0.1:8787).", DefaultValueFactory = _ => "http://127.0.0.1:8787" };
        var session = new Option<string?>("--session") { Description = "Session id, sent as x-headroom-session-id through ANTHROPIC_CUSTOM_HEADERS." };
        var program = new Argument<string[]>("COMMAND") { Description = "The agent command line, after --.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("wrap", "Run an agent (claude, codex, ...) through the gateway.") { url, session, program };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var argv = parse.GetValue(program) ?? [];
            var baseUrl = (parse.GetValue(url) ?? "http://127.0.0.1:8787").TrimEnd('/');
            var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
            foreach (var arg in argv[1..])
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["ANTHROPIC_BASE_URL"] = baseUrl;
            start.Environment["OPENAI_BASE_URL"] = baseUrl + "/v1";
            if (parse.GetValue(session) is { Length: > 0 } id)
            {
                start.Environment["ANTHROPIC_CUSTOM_HEADERS"] = "x-headroom-session-id: " + id;
            }

            try
            {
                using var process = Process.Start(start)!;
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                await Console.Error.WriteLineAsync($"headroom wrap: cannot start '{argv[0]}': {ex.Message}. Is it installed and on PATH?").ConfigureAwait(false);
                return 127;
            }
        });
        return command;
    }
}
