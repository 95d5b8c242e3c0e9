namespace Headroom.Compressors.Markers;

/// <summary>A marker found in a text, at char index <see cref="Start"/> with <see cref="Length"/> chars.</summary>
public readonly record struct MarkerMatch(int Start, int Length, Marker Marker);
