namespace Headroom.Media.Keyframes;

/// <summary>Progress report: the phase and how far it got (0–1).</summary>
public readonly record struct SamplingProgress(string Phase, double Fraction);
