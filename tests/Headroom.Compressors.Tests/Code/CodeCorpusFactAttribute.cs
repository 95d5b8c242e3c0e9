using Xunit;

namespace Headroom.Compressors.Tests.Code;

/// <summary>
/// A fact over a corpus of real source files assembled by <c>data/code/collect.sh DIR</c> and named by
/// the <c>HEADROOM_CODE_CORPUS</c> environment variable; without it the runner shows the test skipped and why.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CodeCorpusFactAttribute : FactAttribute
{
    public const string Variable = "HEADROOM_CODE_CORPUS";

    public CodeCorpusFactAttribute()
    {
        string? dir = Directory;
        if (dir is null)
        {
            Skip = $"{Variable} is not set: run `bash data/code/collect.sh DIR` (from the shared data) and set {Variable}=DIR to grade real files.";
        }
        else if (!System.IO.Directory.Exists(dir))
        {
            Skip = $"{Variable}={dir} does not exist: run `bash data/code/collect.sh {dir}` first.";
        }
    }

    public static string? Directory => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } d ? d : null;
}
