using System.CommandLine;

namespace Headroom.Gateway.Cli;

/// <summary>The `headroom` command line: one subcommand per file in this folder.</summary>
public static class HeadroomCli
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Headroom: a context gateway for AI agents (compresses tool outputs, keeps them retrievable, traces every token).");
        // One line per subcommand; each lives in its own Cli/*Command.cs file.
        root.Subcommands.Add(ProxyCommand.Create());
        root.Subcommands.Add(CompressCommand.Create());
        root.Subcommands.Add(MediaCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(RetrieveCommand.Create());
        root.Subcommands.Add(ProvenanceCommand.Create());
        root.Subcommands.Add(McpCommand.Create());
        root.Subcommands.Add(WrapCommand.Create());
        return root;
    }

    public static Task<int> RunAsync(string[] args)
    {
        var root = CreateRoot();
        return root.Parse(args).InvokeAsync();
    }
}
