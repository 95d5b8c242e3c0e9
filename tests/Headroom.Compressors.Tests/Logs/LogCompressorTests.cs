using Headroom.Compressors.Logs;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Spans;
using Xunit;

namespace Headroom.Compressors.Tests.Logs;

public sealed class LogCompressorTests
{
    private const string Hash = "0123456789abcdef01234567";
    private static readonly LogCompressor Compressor = new();

    [Fact]
    public void Compress_RepeatedLines_CollapseToOneRepresentativeWithCount_AndMarkerNamesTemplate()
    {
        var lines = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            lines.Add(i switch
            {
                500 => "2024-01-01T00:08:20Z ERROR db connection refused (pool=main)",
                501 => "2024-01-01T00:08:21Z INFO retrying in 5s",
                1500 => "2024-01-01T00:25:00Z ERROR db connection refused (pool=main)",
                _ when i % 50 == 7 => $"2024-01-01T00:00:{i % 60:D2}Z WARN slow query took {i} ms",
                _ => $"2024-01-01T00:00:{i % 60:D2}Z INFO GET /health 200 {i % 9} ms",
            });
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        var text = output.Output;

        Assert.True(output.Lossy);
        Assert.Null(SpanMap.Validate(input, text, output.Spans));
        Assert.Contains("2024-01-01T00:08:20Z ERROR db connection refused (pool=main)\n", text, StringComparison.Ordinal);
        Assert.Contains("2024-01-01T00:25:00Z ERROR db connection refused (pool=main)\n", text, StringComparison.Ordinal);
        Assert.Contains("INFO retrying in 5s", text, StringComparison.Ordinal); // a message of its own
        Assert.Contains("WARN slow query took 7 ms (×40 similar, last at 00:00:37Z)", text, StringComparison.Ordinal); // same day: the time only
        Assert.True(text.Split('\n').Length < 30, text);

        var marker = Assert.Single(MarkerFormat.FindAll(text));
        Assert.Equal(2000, marker.Marker.Total);
        Assert.Equal(2000 - (text.Split('\n').Length - 1), marker.Marker.Omitted);
        Assert.Contains("INFO GET /health <*> <*> ms", marker.Marker.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_TwoInvoiceErrorsAmongInfoLines_BothErrorLinesSurviveVerbatim()
    {
        // What broke: the second invoice's line collapsed into the first as "(×2 similar)" and inv_4287 was gone.
        var lines = new List<string>();
        for (var i = 0; i < 330; i++)
        {
            lines.Add(i switch
            {
                117 => "2026-11-30 09:14:07.532 ERROR [billing] charge failed for invoice inv_4121 (card_declined, attempt 3/3) customer=cus_88213",
                243 => "2026-11-30 09:16:41.118 ERROR [billing] charge failed for invoice inv_4287 (card_declined, attempt 3/3) customer=cus_90127",
                _ => $"2026-11-30 09:{10 + i / 60:D2}:{i % 60:D2}.{i * 7 % 1000:D3} INFO [http] GET /api/v1/orders/{1000 + i} 200 {i % 37 + 3} ms user=u{i % 11}",
            });
        }

        var input = string.Join('\n', lines) + "\n";
        Assert.InRange(input.Length, 24_000, 30_000);
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.Contains(lines[117] + "\n", output.Output, StringComparison.Ordinal);
        Assert.Contains(lines[243] + "\n", output.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("(×2 similar", output.Output, StringComparison.Ordinal);
        Assert.True(output.Output.Length < input.Length / 4, output.Output);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Fact]
    public void Compress_ErrorTemplateRepeatedMoreThanFiveTimes_ListsEveryIdWithTheLastTimestamp()
    {
        var lines = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            lines.Add(i % 10 == 3
                ? $"2026-11-30 10:{i / 60:D2}:{i % 60:D2} ERROR [billing] charge failed for invoice inv_{4100 + i / 10} on node-{i / 10 % 7}"
                : $"2026-11-30 10:{i / 60:D2}:{i % 60:D2} INFO [http] GET /health 200 {i % 9} ms");
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        // The first line shows inv_4100 and node-0; the note lists every other value, brace-expansion style.
        Assert.Contains(lines[3] + " (×20 similar, last at 10:03:13; inv_{4101..4119} node-{1..6})", output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[13], output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_WarningsAndErrorsRepeatedUpToFiveTimes_StayVerbatim()
    {
        var lines = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            lines.Add(i % 80 == 5
                ? $"Dec 10 0{i / 80}:1{i % 10}:00 host kernel: WARNING: disk sd{(char)('a' + i / 80)} temperature above threshold"
                : i % 80 == 40
                    ? $"Dec 10 0{i / 80}:2{i % 10}:00 host app[{i}]: request {i} failed: upstream reset"
                    : $"Dec 10 0{i / 80}:3{i % 10}:00 host app[{i}]: request {i} served in {i % 13} ms");
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;
        foreach (var line in lines.Where(l => !l.Contains("served", StringComparison.Ordinal)))
        {
            Assert.Contains(line + "\n", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compress_DistinctErrors_AreAllKeptVerbatim()
    {
        var lines = Enumerable.Range(0, 300).Select(i => i % 30 == 0 ? $"ERROR step {i / 30} failed: {(char)('a' + i / 30)}-missing" : $"INFO tick {i}").ToList();
        var input = string.Join('\n', lines);
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        for (var k = 0; k < 10; k++)
        {
            Assert.Contains($"ERROR step {k} failed: {(char)('a' + k)}-missing", output.Output, StringComparison.Ordinal);
        }

        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Fact]
    public void Compress_TestRunnerOutput_DropsPassingTestsAndKeepsFailuresWhole()
    {
        var lines = new List<string> { "============================= test session starts ==============================" };
        for (var i = 0; i < 120; i++)
        {
            lines.Add($"tests/test_mod.py::test_case_{i} PASSED");
        }

        lines.Add("tests/test_mod.py::test_broken FAILED");
        lines.Add("=================================== FAILURES ===================================");
        lines.Add("_________________________________ test_broken __________________________________");
        lines.Add("    def test_broken():");
        lines.Add(">       assert compute(2) == 5");
        lines.Add("E       assert 4 == 5");
        lines.Add("tests/test_mod.py:12: AssertionError");
        lines.Add("=========================== short test summary info ============================");
        lines.Add("FAILED tests/test_mod.py::test_broken - assert 4 == 5");
        lines.Add("========================= 1 failed, 120 passed in 0.52s =========================");
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });

        Assert.DoesNotContain("test_case_5 PASSED", output.Output, StringComparison.Ordinal);
        foreach (var line in lines.Skip(121))
        {
            Assert.Contains(line, output.Output, StringComparison.Ordinal);
        }

        Assert.Contains("passing-test lines", MarkerFormat.FindAll(output.Output).Single().Marker.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_DotnetBuildWithStackTrace_KeepsErrorAndFrames()
    {
        var lines = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            lines.Add($"  Restored /src/p{i}/p{i}.csproj (in 12 ms).");
        }

        lines.Add("Unhandled exception. System.InvalidOperationException: Sequence contains no elements");
        lines.Add("   at System.Linq.ThrowHelper.ThrowNoElementsException()");
        lines.Add("   at App.Program.Main(String[] args) in /src/Program.cs:line 12");
        lines.Add("/src/App.cs(10,5): error CS1002: ; expected [/src/App.csproj]");
        lines.Add("Build FAILED.");
        lines.Add("    1 Error(s)");
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash });
        foreach (var line in lines.Skip(100))
        {
            Assert.Contains(line, output.Output, StringComparison.Ordinal);
        }

        Assert.True(output.Output.Length < input.Length / 2, output.Output);
        // Every restored project still named: the first line shows p0, the note the rest with the shared ending once.
        Assert.Contains("/src/p{1/p1,10/p10,11/p11,", output.Output, StringComparison.Ordinal);
        Assert.Contains(",97/p97,98/p98,99/p99}.csproj", output.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_CrlfLines_PutTheCountBeforeTheCarriageReturn()
    {
        var input = string.Concat(Enumerable.Range(0, 100).Select(i => $"[notice] child {i} started\r\n"));
        var output = new LogCompressor().Compress(input, new CompressionRequest { OriginalHash = Hash });
        Assert.StartsWith("[notice] child 0 started (×100 similar)\r\n", output.Output, StringComparison.Ordinal);
        Assert.Null(SpanMap.Validate(input, output.Output, output.Spans));
    }

    [Theory]
    [InlineData("blk_-1608999687919862906 served to /10.251.42.84:50010", "blk_-<*> served to /<*>")]
    [InlineData("sshd[24200]: Failed password for root", "sshd[<*>]: Failed password for root")]
    [InlineData("  took   12.5 ms  ", "took <*> ms")]
    public void Mask_ReplacesNumbersAndCollapsesWhitespace(string line, string expected)
    {
        Assert.Equal(expected, TemplateMiner.Mask(line));
    }
    [Fact]
    public void Compress_RequestIdNewOnEveryLine_IsCountedNotListed_WhileNamedValuesAreListedOnce()
    {
        var lines = Enumerable.Range(0, 60).Select(i =>
            $"2017-05-16 00:00:{i % 60:D2}.008 INFO nova.api [req-{new Guid(i, 7, 9, 1, 2, 3, 4, 5, 6, 7, 8):D}] GET /v2/servers/vm-{i % 12} status: 200").ToList();
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        Assert.Contains("one-off request ids not listed", output, StringComparison.Ordinal);
        Assert.DoesNotContain(new Guid(30, 7, 9, 1, 2, 3, 4, 5, 6, 7, 8).ToString("D"), output, StringComparison.Ordinal);
        Assert.Contains("/v2/servers/vm-{1..11}", output, StringComparison.Ordinal); // the first line shows vm-0
    }

    [Theory]
    [InlineData("uid=0", false)]
    [InlineData("onExtend:1514038531000", false)]
    [InlineData("Translation=-1.0", false)]
    [InlineData("rhost=218.188.2.4", true)]
    [InlineData("www.google.com:443", true)]
    [InlineData("inv_4121", true)]
    public void IsIdentifier_KeyedNumbersAreQuantities_HostsAndNumberedNamesAreNot(string value, bool expected)
    {
        Assert.Equal(expected, LogValues.IsIdentifier(value));
    }

    [Theory]
    [InlineData("/10.10.34.11:52264", "10.10.34.11")]
    [InlineData("183.62.156.108:22", "183.62.156.108:22")]
    [InlineData("10.10.34.12:3888", "10.10.34.12:3888")]
    [InlineData("host.example.com:40000", "host.example.com:40000")]
    public void WithoutEphemeralPort_DropsClientPortsOnly(string value, string expected)
    {
        Assert.Equal(expected, LogValues.WithoutEphemeralPort(value).ToString());
    }

    [Fact]
    public void AppendCompact_ValuesSharingAPrefixAndAnEnding_WriteBothOnce()
    {
        var sb = new System.Text.StringBuilder();
        LogValues.AppendCompact(sb, ["Package_for_KB2479943~31bf3856ad364e35~amd64~~6.1.1.0", "Package_for_KB2506014~31bf3856ad364e35~amd64~~6.1.1.0", "Package_for_KB2510531~31bf3856ad364e35~amd64~~6.1.2.0", "a,b"]);
        Assert.Equal("a,b Package_for_KB{2479943,2506014}~31bf3856ad364e35~amd64~~6.1.1.0 Package_for_KB2510531~31bf3856ad364e35~amd64~~6.1.2.0", sb.ToString());
    }

    [Theory]
    [InlineData("2016/9/27:20:30:31.455", false)]
    [InlineData("00000001@2016/9/27:20:30:31.455", false)]
    [InlineData("10/12/2016", false)]
    [InlineData("/10.10.34.11:52264", true)]
    [InlineData("/var/log/app1", true)]
    public void IsIdentifier_DigitsAndSlashesAlone_AreADateNotAPath(string value, bool expected)
    {
        Assert.Equal(expected, LogValues.IsIdentifier(value));
    }

    [Fact]
    public void Compress_ValuesWithBracesOfTheirOwn_AreListedAsTheirParts_SharingAPrefix()
    {
        string[] hives = ["SOFTWARE", "SYSTEM", "SAM", "SECURITY", "DEFAULT", "COMPONENTS", "ntuser1.dat", "schema2.dat"];
        var lines = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            lines.Add(i % 6 == 2
                ? $"2016-09-29 00:00:{i:D2}, Info CBS Loading offline registry hive into registry key '{{bf1a281b-ad7b-4476-ac95-f47682990ce7}}GLOBALROOT/Device/HarddiskVolumeShadowCopy2/Windows/config/{hives[i / 6 % hives.Length]}'"
                : $"2016-09-29 00:00:{i:D2}, Info CBS Session: {30546173 + i}_{4261722401L + i} initialized by client WindowsUpdateAgent.");
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        Assert.Contains(
            "(×10 similar, last at 00:00:56; GLOBALROOT/Device/HarddiskVolumeShadowCopy2/Windows/config/{ntuser1,schema2}.dat GLOBALROOT/Device/HarddiskVolumeShadowCopy2/Windows/config/{COMPONENTS,DEFAULT,SAM,SECURITY,SYSTEM})",
            output,
            StringComparison.Ordinal);

        // The GUID the kept line shows is not listed again, with or without the path glued to it.
        Assert.Equal(1, output.Split("bf1a281b-ad7b-4476-ac95-f47682990ce7").Length - 1);
    }

    [Fact]
    public void Compress_LastTimestampEndingInAComma_IsNotFollowedByItsComma()
    {
        var lines = Enumerable.Range(0, 40).Select(i => $"2016-09-{28 + i / 20} 0{i % 10}:00:46, Info CBS Starting TrustedInstaller finalization on node-{i}.").ToList();
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        Assert.Contains("(×40 similar, last at 2016-09-29 09:00:46; node-{1..39})", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_AlertLinesDifferingOnlyInAHeaderColumn_CollapseAsOneMessage()
    {
        // HPC: ID, node, component, state, epoch time, flag, message. The state column (bcast-error / error)
        // is not a word of the message: the 15 "Link error" lines are one message, not a rare one of five.
        var lines = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            lines.Add(i % 20 == 4
                ? $"{30700 + i} Interconnect-1T00 switch_module {(i < 200 ? "bcast-error" : "error")} {1076189965 + i} 1 Link error"
                : $"{30700 + i} node-{i % 97} node status {1076189965 + i} 1 running");
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        Assert.Contains(lines[4] + " (×15 similar", output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[204], output, StringComparison.Ordinal);
    }

    [Fact]
    public void AppendCompact_RestsSharingALongerStart_GetAGroupOfTheirOwn()
    {
        var sb = new System.Text.StringBuilder();
        LogValues.AppendCompact(sb, [
            "GLOBALROOT/Device/Shadow2/Users/default/ntuser.dat", "GLOBALROOT/Device/Shadow2/Windows/smi/schema.dat",
            "GLOBALROOT/Device/Shadow2/Windows/System32/config/COMPONENTS", "GLOBALROOT/Device/Shadow2/Windows/System32/config/DEFAULT", "GLOBALROOT/Device/Shadow2/Windows/System32/config/SAM"]);
        Assert.Equal("GLOBALROOT/Device/Shadow2/{Users/default/ntuser,Windows/smi/schema}.dat GLOBALROOT/Device/Shadow2/Windows/System32/config/{COMPONENTS,DEFAULT,SAM}", sb.ToString());
    }

    [Fact]
    public void Compress_ValueWithABraceAndAHexId_IsListedWhole()
    {
        // Alarm{190695f: the hex id alone would read as a quantity (190695 f) and not be listed, so the whole value is.
        var lines = Enumerable.Range(0, 40).Select(i => $"03-17 16:14:{i % 60:D2}.045  1702  2096 I AlarmManager: sending alarm Alarm{{{0x190690f + (i % 10 * 16):x} type 3").ToList();
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        Assert.Contains("Alarm{190695f", output, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPathTails_DropsAValueAnotherEndsInAfterASeparator()
    {
        var values = LogValues.WithoutPathTails(["SAM", "ntuser.dat", "SPP", "GLOBALROOT/Device/config/SAM", "\\\\?\\GLOBALROOT\\Users\\default\\ntuser.dat", "AMD"]);
        Assert.Equal(["SPP", "GLOBALROOT/Device/config/SAM", "\\\\?\\GLOBALROOT\\Users\\default\\ntuser.dat", "AMD"], values);
    }

    [Fact]
    public void Compress_LastLineOneMoreOfARepeatedTemplate_IsInTheNote_WhileALastErrorStays()
    {
        var lines = Enumerable.Range(0, 30).Select(i => $"2016-09-29 00:00:{i:D2}, Info CBS Session: {30546173 + i} initialized by client WindowsUpdateAgent.").ToList();
        var output = Compressor.Compress(string.Join('\n', lines) + "\n", new CompressionRequest { OriginalHash = Hash }).Output;
        Assert.Contains(lines[0] + " (×30 similar, last at 00:00:29)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[29], output, StringComparison.Ordinal);

        var errors = Enumerable.Range(0, 30).Select(i => $"2016-09-29 00:00:{i:D2}, Error CBS Failed to open package {30546173 + i}.").ToList();
        var errorOutput = Compressor.Compress(string.Join('\n', errors) + "\n", new CompressionRequest { OriginalHash = Hash }).Output;
        Assert.Contains(errors[29] + "\n", errorOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_LinesOfOneMessageWithDifferentTokenCounts_AreOneKeptLineWhoseNoteNamesTheOthers()
    {
        // Proxifier: "(1.16 KB)" and "<1 sec" add tokens; "*64" after the process name too. One message, not eight.
        var lines = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var sent = i % 3 == 0 ? $"{1190 + i} bytes (1.{i % 10}{i % 7} KB) sent" : $"{i} bytes sent";
            var lifetime = i % 2 == 0 ? "<1 sec" : $"00:{i % 60:D2}";
            var process = i % 5 == 0 ? "chrome.exe *64" : "chrome.exe";
            lines.Add($"[10.30 16:{i / 60:D2}:{i % 60:D2}] {process} - host{i % 7}.example.com:443 close, {sent}, {i * 3} bytes received, lifetime {lifetime}");
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        // The line with its note, and the marker.
        Assert.StartsWith(lines[0] + " (×200 similar, last at 16:03:19]; host{1..6}.example.com:443)\n[headroom: 199 of 200 lines omitted", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_AlertLinesWithADifferentWord_StayApartAcrossTokenCounts()
    {
        // "Failed none" and "Failed publickey ... (agent)" are different messages even when one has more tokens.
        var lines = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            lines.Add((i % 40) switch
            {
                3 or 4 or 5 => $"Dec 10 06:55:{i % 60:D2} LabSZ sshd[{24200 + i}]: Failed none for root from 10.0.0.{i} port {40000 + i} ssh2",
                13 or 14 or 15 => $"Dec 10 06:55:{i % 60:D2} LabSZ sshd[{24200 + i}]: Failed publickey for root from 10.0.0.{i} port {40000 + i} ssh2 (agent)",
                _ => $"Dec 10 06:55:{i % 60:D2} LabSZ sshd[{24200 + i}]: Connection closed by 10.0.0.{i} [preauth]",
            });
        }

        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;
        Assert.Contains(lines[3] + " (×9 similar; 10.0.0.{4,5,43..45,83..85})\n", output, StringComparison.Ordinal);
        Assert.Contains(lines[13] + " (×9 similar; 10.0.0.{14,15,53..55,93..95})\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_ProcessIdsGluedToANameInBrackets_ListTheNameNotThePids()
    {
        var lines = Enumerable.Range(0, 40).Select(i => $"Jul  1 09:{i:D2}:02 host sandboxd[129]: com.apple.Addres{i % 4}({31000 + i * 17}) deny network-outbound /private/var/run/mDNSResponder").ToList();
        var input = string.Join('\n', lines) + "\n";
        var output = Compressor.Compress(input, new CompressionRequest { OriginalHash = Hash }).Output;

        Assert.Contains("(×40 similar, last at 09:39:02; com.apple.Addres{1..3})", output, StringComparison.Ordinal);
        Assert.DoesNotContain((31000 + 17).ToString(System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compress_SmallGroup_HasNoLastTime_ALargeOneHas()
    {
        var lines = Enumerable.Range(0, 40).Select(i => i % 10 == 3
            ? $"2016-09-29 00:00:{i:D2}, Info CBS Reboot mark set for job-{i}."
            : $"2016-09-29 00:00:{i:D2}, Info CBS Session: {30546173 + i} initialized by client WindowsUpdateAgent.").ToList();
        var output = Compressor.Compress(string.Join('\n', lines) + "\n", new CompressionRequest { OriginalHash = Hash }).Output;

        Assert.Contains(lines[3] + " (×4 similar; job-{13,23,33})", output, StringComparison.Ordinal);
        Assert.Contains(lines[0] + " (×36 similar, last at 00:00:39)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AppendCompact_HostsSharingAnEnding_WriteTheEndingOnce()
    {
        var sb = new System.Text.StringBuilder();
        LogValues.AppendCompact(sb, ["api.github.com:443", "www.google.com:443", "tools.google.com:443", "mail.qq.com:443", "oimage.ydstatic.com:80", "css.sohu.com:80", "img.sohu.com:80", "10.0.0.7:22"]);
        var text = sb.ToString();
        Assert.Equal("10.0.0.7:22 {api.github,mail.qq,tools.google,www.google}.com:443 {css.sohu,img.sohu,oimage.ydstatic}.com:80", text);
    }
}
