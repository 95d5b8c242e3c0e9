namespace Headroom.Media.Content;

/// <summary>The request shape a content array is written for.</summary>
public enum ContentApi
{
    /// <summary>Anthropic Messages: <c>text</c> and <c>image</c> (base64 source) blocks.</summary>
    AnthropicMessages,

    /// <summary>OpenAI Chat Completions: <c>text</c> and <c>image_url</c> (data URL) parts.</summary>
    OpenAIChat,

    /// <summary>OpenAI Responses: <c>input_text</c> and <c>input_image</c> parts.</summary>
    OpenAIResponses,
}
