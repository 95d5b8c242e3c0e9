namespace Headroom.Gateway.Tests.Clients;

/// <summary>What the scripted model was answering: the step it recognised in a request.</summary>
public enum GeminiStep
{
    /// <summary>The prompt: answered with a shell call, <c>cat server.log</c>.</summary>
    Prompt,

    /// <summary>The first shell output: answered with a <c>headroom_retrieve</c> call for its marker (or, with no marker, the second shell call).</summary>
    FirstOutput,

    /// <summary>The gateway's own answer to <c>headroom_retrieve</c>: answered with the second shell call, <c>cat other.log</c>.</summary>
    RetrieveAnswer,

    /// <summary>The second shell output: answered with the final text.</summary>
    SecondOutput,

    /// <summary>Anything else: a 400, which the CLI does not retry.</summary>
    Unscripted,
}
