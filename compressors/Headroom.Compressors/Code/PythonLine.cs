namespace Headroom.Compressors.Code;

/// <summary>One logical Python line: physical lines [<see cref="First"/>, <see cref="Last"/>], its indentation width and text start.</summary>
internal readonly record struct PythonLine(int First, int Last, int Indent, int ContentStart, char LastCodeChar);
