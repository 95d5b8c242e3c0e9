using AngleSharp.Dom;

namespace Headroom.Compressors.Html;

/// <summary>The main content of a page: its title and the article elements in document order.</summary>
internal sealed record ExtractedPage(string Title, IReadOnlyList<INode> Content, int TextLength);
