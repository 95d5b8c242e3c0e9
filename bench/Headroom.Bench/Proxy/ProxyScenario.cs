namespace Headroom.Bench.Proxy;

/// <summary>What <c>proxy-latency --scenario</c> measures; each is A/B(/C) interleaved against the direct upstream in one run.</summary>
internal enum ProxyScenario
{
    /// <summary>2 KB requests with nothing to compress (JSON and streamed), sequential and at C connections, then RSS after 100k requests (<see cref="ProxyLatencyBench"/>).</summary>
    Passthrough,

    /// <summary>A 47 KB agent turn with five replayed, compressed tool outputs through the retrieval loop (<see cref="CompressedPathBench"/>).</summary>
    AgentRequest,

    /// <summary>Every request carries a tool output never seen before, compressed and stored on the request path (<see cref="FreshCompressionBench"/>).</summary>
    FreshCompression,
}
