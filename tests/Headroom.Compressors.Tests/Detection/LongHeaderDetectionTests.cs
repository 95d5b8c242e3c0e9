using Headroom.Compressors.Detection;
using Headroom.Compressors.Pipeline;
using Xunit;

namespace Headroom.Compressors.Tests.Detection;

/// <summary>
/// A long source file is judged on its head, its middle and its tail: a module docstring or a test table
/// filling the first 200 lines used to make the whole file prose, and the prose compressor then dropped
/// declarations a code skeleton keeps.
/// </summary>
public sealed class LongHeaderDetectionTests
{
    [Fact]
    public void PythonModule_WithAPageOfDocstringFirst_IsCode()
    {
        var docstring = string.Concat(Enumerable.Range(0, 220).Select(i => $"This paragraph {i} explains how the heap invariant is kept when items are pushed and popped.\n"));
        var code = string.Concat(Enumerable.Range(0, 300).Select(i => $"def push_{i}(heap, item):\n    heap.append(item)\n    _siftdown(heap, 0, len(heap) - 1)\n    return heap\n\n"));
        var source = "\"\"\"Heap queue algorithm.\n\n" + docstring + "\"\"\"\n\nimport sys\nfrom typing import List\n\n" + code;

        var detected = ContentDetector.Detect(source);

        Assert.Equal(ContentType.Code, detected.Type);
        Assert.Equal("python", detected.Language);
    }

    [Fact]
    public void ShortProse_IsStillProse()
    {
        var prose = string.Concat(Enumerable.Range(0, 400).Select(i => $"Sentence {i} of the report says the rollout went well, and the team will review it on Monday.\n"));

        Assert.Equal(ContentType.Text, ContentDetector.Detect(prose).Type);
    }
}
