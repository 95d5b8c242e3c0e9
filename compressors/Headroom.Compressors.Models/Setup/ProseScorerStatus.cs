namespace Headroom.Compressors.Models.Setup;

/// <summary>What /healthz and the CLI say about the prose scorer: what was asked for, what runs, and why not.</summary>
/// <param name="Requested">The configured value: bm25, minilm, minilm-rerank or model:PATH.</param>
/// <param name="Active">The scorer that decides when nothing falls back: "bm25", "minilm", "model:NAME".</param>
/// <param name="ModelLoaded">True when a model is loaded and in use.</param>
/// <param name="Error">Why the requested model did not load (the gateway then runs BM25); null otherwise.</param>
/// <param name="LoadMs">Time the model took to load and calibrate.</param>
/// <param name="MsPerToken">Measured cost of one token through the model (the gate's estimate).</param>
public sealed record ProseScorerStatus(string Requested, string Active, bool ModelLoaded, string? Error, double LoadMs, double MsPerToken);
