namespace Headroom.Gateway.Retrieval;

/// <summary>The answer to one retrieve call: the original text, or why there is none.</summary>
internal sealed record RetrievedOriginal(string CallId, string Hash, string Text, bool Found);
