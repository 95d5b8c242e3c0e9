using Headroom.Compressors.Detection;
using Headroom.Compressors.Pipeline;
using Xunit;

namespace Headroom.Compressors.Tests.Detection;

public sealed class ContentDetectorTests
{
    public static TheoryData<string, ContentType, string?> Samples() => new()
    {
        { "{\"a\": [1, 2, {\"b\": null}]}", ContentType.Json, null },
        { "diff --git a/x.cs b/x.cs\nindex 1..2 100644\n--- a/x.cs\n+++ b/x.cs\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n", ContentType.Diff, null },
        { "<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>x</p></body></html>", ContentType.Html, null },
        { "src/a.cs:12:    var x = 1;\nsrc/a.cs:40:    var y = 2;\nsrc/b/c.py:3:import os\nREADME.md:7:see docs\n", ContentType.Search, null },
        { "2024-01-01 10:00:00,123 INFO  [main] Starting server\n2024-01-01 10:00:01,456 WARN  [db] slow query\n2024-01-01 10:00:02,789 ERROR [db] connection lost\n2024-01-01 10:00:03,000 INFO  [main] retry\n", ContentType.Log, null },
        { "  Determining projects to restore...\n  All projects are up-to-date for restore.\n/src/App.cs(10,5): error CS1002: ; expected [/src/App.csproj]\nBuild FAILED.\n    0 Warning(s)\n    1 Error(s)\n", ContentType.Log, null },
        { "namespace Foo.Bar;\n\nusing System;\n\npublic sealed class Baz\n{\n    public int Count { get; init; }\n\n    public void Run() => Console.WriteLine(Count);\n}\n", ContentType.Code, "csharp" },
        { "import os\nimport sys\n\n\ndef main(argv):\n    for arg in argv:\n        print(arg)\n\n\nclass Thing(object):\n    def __init__(self):\n        self.x = 1\n\n\nif __name__ == '__main__':\n    main(sys.argv)\n", ContentType.Code, "python" },
        { "package main\n\nimport (\n\t\"fmt\"\n)\n\nfunc main() {\n\tx := 1\n\tif err != nil {\n\t\treturn\n\t}\n\tfmt.Println(x)\n}\n", ContentType.Code, "go" },
        { "use std::io;\n\npub fn read(path: &str) -> Result<String, io::Error> {\n    let mut s = String::new();\n    Ok(s)\n}\n\nimpl Foo {\n    fn bar(&self) -> Option<u8> { None }\n}\n", ContentType.Code, "rust" },
        { "The 1973 oil crisis began in October 1973 when the members of the Organization of Arab Petroleum Exporting Countries proclaimed an oil embargo. By the end of the embargo in March 1974, the price of oil had risen.\n\nIt was later called the first oil shock.", ContentType.Text, null },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Detect_RecognisesEachType(string text, ContentType expected, string? language)
    {
        var result = ContentDetector.Detect(text);
        Assert.Equal(expected, result.Type);
        Assert.InRange(result.Confidence, 0.0, 1.0);
        if (language is not null)
        {
            Assert.Equal(language, result.Language);
        }
    }

    [Fact]
    public void Detect_TruncatedJson_IsNotJson()
    {
        Assert.NotEqual(ContentType.Json, ContentDetector.Detect("{\"a\": [1, 2, 3").Type);
    }
}
