using Headroom.Gateway.Pricing;
using Headroom.Media.Content;
using Headroom.Media.Images;

namespace Headroom.Gateway.Media;

/// <summary>The parsed query of a media request.</summary>
internal sealed record MediaQuery(
    MediaProvider Provider,
    ContentApi Api,
    string Model,
    ModelPrice? Price,
    int? MaxLongEdge,
    MediaSettings Settings);
