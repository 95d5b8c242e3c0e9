using System.Text;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;

namespace Headroom.Gateway.Tests.LiveZone;

public sealed class RequestWalkerTests
{
    private const string Anthropic = """
        {"model":"claude-sonnet-4-5","max_tokens":64000,"stream":true,
         "system":[{"type":"text","text":"You are Claude Code."},{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"Bash","input_schema":{"type":"object"}},{"name":"Read","input_schema":{"type":"object"}}],
         "messages":[
          {"role":"user","content":[{"type":"text","text":"<system-reminder>Today is 2026-11-22</system-reminder>"},{"type":"text","text":"why does the build fail?"}]},
          {"content":[{"type":"thinking","thinking":"run it","signature":"sig=="},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"dotnet build","timeout":1}}],"role":"assistant"},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Build FAILED.\n\u00e9 error CS1002"}]},
          {"role":"assistant","content":[{"type":"tool_use","id":"toolu_2","name":"Read","input":{"file_path":"/src/Parser.cs"}}]},
          {"role":"user","content":[{"tool_use_id":"toolu_2","type":"tool_result","content":[{"type":"text","text":"class Parser {}"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}],"cache_control":{"type":"ephemeral"}}]}
         ]}
        """;

    private static string Text(string body, ContextBlock block) =>
        block.IsString ? JsonRanges.DecodeString(Encoding.UTF8.GetBytes(body), (block.Start, block.End)) : body[block.Start..block.End];

    [Fact]
    public void Anthropic_FindsEveryBlockAndTheLiveZone()
    {
        var bytes = Encoding.UTF8.GetBytes(Anthropic);
        var shape = RequestWalker.Walk(bytes, ApiKind.AnthropicMessages)!;

        Assert.Equal("claude-sonnet-4-5", shape.Model);
        Assert.True(shape.Stream);
        Assert.Equal(["Bash", "Read"], shape.ToolNames);
        Assert.Equal(3, shape.LastModelMessage);
        var outputs = shape.Blocks.Where(b => b.Kind == BlockKind.ToolOutput).ToList();
        Assert.Equal(2, outputs.Count);

        var history = outputs[0];
        Assert.Equal("Build FAILED.\né error CS1002", JsonRanges.DecodeString(bytes, (history.Start, history.End)));
        Assert.Equal(("toolu_1", "Bash", "dotnet build"), (history.ToolUseId, history.ToolName, history.CommandOrPath));
        Assert.False(history.InLiveZone);

        var live = outputs[1];
        Assert.Equal("class Parser {}", JsonRanges.DecodeString(bytes, (live.Start, live.End)));
        Assert.Equal(("toolu_2", "Read", "/src/Parser.cs", 0), (live.ToolUseId, live.ToolName, live.CommandOrPath, live.Part));
        Assert.True(live.InLiveZone);
        Assert.True(live.HasCacheControl);
        Assert.Contains(shape.Blocks, b => b.Kind == BlockKind.Image && b.Message == 4);

        Assert.Equal(2, shape.Blocks.Count(b => b.Kind == BlockKind.System));
        Assert.True(shape.Blocks.Single(b => b.Kind == BlockKind.System && b.Block == 1).HasCacheControl);
        Assert.Contains(shape.Blocks, b => b.Kind == BlockKind.Thinking && b.Role == "assistant");
        Assert.Equal("why does the build fail?", JsonRanges.DecodeString(bytes, shape.LatestUserText!.Value));
        Assert.Equal('}', Anthropic[shape.RootEnd]);
        Assert.Equal("[{\"name\":\"Bash\"", Anthropic[shape.Tools!.Value.Start..(shape.Tools.Value.Start + 15)]);
    }

    [Fact]
    public void OpenAIChat_FindsToolMessagesAfterTheLastAssistant()
    {
        const string body = """
            {"model":"gpt-4.1","messages":[
              {"role":"system","content":"You are Codex."},
              {"role":"user","content":"list files"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"exec_command","arguments":"{\"cmd\":[\"ls\",\"-la\"]}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"total 0\ndrwxr-xr-x 2 root root 40 ."}
            ],"tools":[{"type":"function","function":{"name":"exec_command","parameters":{}}}]}
            """;
        var shape = RequestWalker.Walk(Encoding.UTF8.GetBytes(body), ApiKind.OpenAIChat)!;

        var output = Assert.Single(shape.Blocks, b => b.Kind == BlockKind.ToolOutput);
        Assert.True(output.InLiveZone);
        Assert.Equal(("call_1", "exec_command", "ls -la"), (output.ToolUseId, output.ToolName, output.CommandOrPath));
        Assert.Equal("total 0\ndrwxr-xr-x 2 root root 40 .", Text(body, output));
        Assert.Equal(["exec_command"], shape.ToolNames);
        Assert.Equal("You are Codex.", Text(body, shape.Blocks.Single(b => b.Kind == BlockKind.System)));
    }

    [Fact]
    public void OpenAIResponses_FindsFunctionCallOutputs()
    {
        const string body = """
            {"model":"gpt-5","instructions":"Be Codex.","store":false,"prompt_cache_key":"abc","input":[
              {"type":"message","role":"user","content":[{"type":"input_text","text":"read the readme"}]},
              {"type":"reasoning","id":"rs_1","encrypted_content":"gAAAA"},
              {"type":"function_call","call_id":"c1","name":"exec_command","arguments":"{\"cmd\":\"cat README.md\"}"},
              {"type":"function_call_output","call_id":"c1","output":"# Headroom\nA gateway."},
              {"type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":"*** Begin Patch\n*** Update File: a.cs"},
              {"type":"custom_tool_call_output","call_id":"c2","output":"Success"}
            ]}
            """;
        var shape = RequestWalker.Walk(Encoding.UTF8.GetBytes(body), ApiKind.OpenAIResponses)!;

        Assert.True(shape.HasPromptCacheKey);
        var outputs = shape.Blocks.Where(b => b.Kind == BlockKind.ToolOutput).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.False(outputs[0].InLiveZone);
        Assert.Equal(("exec_command", "cat README.md"), (outputs[0].ToolName, outputs[0].CommandOrPath));
        Assert.Equal("# Headroom\nA gateway.", Text(body, outputs[0]));
        Assert.True(outputs[1].InLiveZone);
        Assert.Equal(("apply_patch", "*** Begin Patch"), (outputs[1].ToolName, outputs[1].CommandOrPath));
        Assert.Equal("read the readme", Text(body, shape.Blocks.Single(b => b.Kind == BlockKind.Text)));
        Assert.Equal("Be Codex.", Text(body, shape.Blocks.Single(b => b.Kind == BlockKind.System)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"messages\":[}")]
    [InlineData("{\"messages\":[]} trailing")]
    [InlineData("")]
    public void InvalidBodies_GiveNull(string body) =>
        Assert.Null(RequestWalker.Walk(Encoding.UTF8.GetBytes(body), ApiKind.AnthropicMessages));
}
