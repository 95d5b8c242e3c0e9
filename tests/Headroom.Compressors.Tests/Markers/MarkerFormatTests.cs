using Headroom.Compressors.Markers;
using Xunit;

namespace Headroom.Compressors.Tests.Markers;

public sealed class MarkerFormatTests
{
    private const string Hash = "0123456789abcdef01234567";

    [Fact]
    public void Format_WritesTheIssueExampleExactly()
    {
        var text = MarkerFormat.Format(1963, 2000, MarkerUnit.Lines, "419 × \"INFO GET /health 200 <*> ms\"", Hash);
        Assert.Equal("[headroom: 1,963 of 2,000 lines omitted (419 × \"INFO GET /health 200 <*> ms\"); full text: headroom_retrieve hash=0123456789abcdef01234567]", text);
    }

    [Fact]
    public void TryParse_RoundTripsFormat()
    {
        var text = MarkerFormat.Format(5, 1_234_567, MarkerUnit.Items, "kept first 2", Hash);
        Assert.True(MarkerFormat.TryParse(text, out var marker));
        Assert.Equal(new Marker(5, 1_234_567, MarkerUnit.Items, "kept first 2", Hash), marker);
        Assert.True(MarkerFormat.TryParse(MarkerFormat.Format(0, 0, MarkerUnit.Lines, null, Hash), out var bare));
        Assert.Null(bare!.Detail);
    }

    [Theory]
    [InlineData("[headroom: 1963 of 2,000 lines omitted; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // no separator
    [InlineData("[headroom: 01 of 2 lines omitted; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // leading zero
    [InlineData("[headroom: 3 of 2 lines omitted; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // omitted > total
    [InlineData("[headroom: 1 of 2 rows omitted; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // unknown unit
    [InlineData("[headroom: 1 of 2 lines omitted; full text: headroom_retrieve hash=0123456789ABCDEF01234567]")] // upper-case hex
    [InlineData("[headroom: 1 of 2 lines omitted; full text: headroom_retrieve hash=0123456789abcdef0123456]")] // 23 hex
    [InlineData("[headroom: 1 of 2 lines omitted; full text: headroom_retrieve hash=0123456789abcdef012345678]")] // 25 hex
    [InlineData("[headroom: 1 of 2 lines omitted ; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // extra space
    [InlineData("[headroom: 1 of 2 lines omitted (); full text: headroom_retrieve hash=0123456789abcdef01234567]")] // empty detail
    [InlineData("[Headroom: 1 of 2 lines omitted; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // case
    [InlineData("[headroom: 1 of 2 lines compressed; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // other wording
    [InlineData("[compressed: 1 of 2 lines omitted; retrieve hash=0123456789abcdef01234567]")] // another tool's marker
    [InlineData(" [headroom: 1 of 2 lines omitted; full text: headroom_retrieve hash=0123456789abcdef01234567]")] // not exact
    public void TryParse_RejectsAnythingLooser(string text)
    {
        Assert.False(MarkerFormat.TryParse(text, out _));
    }

    [Fact]
    public void FindAll_FindsMarkersInsideText_AndIgnoresForgeries()
    {
        var a = MarkerFormat.Format(10, 20, MarkerUnit.Lines, "x", Hash);
        var b = MarkerFormat.Format(1, 3, MarkerUnit.Items, null, "ffffffffffffffffffffffff");
        var text = $"head\n{a}\nmiddle [headroom: 1 of 2 lines omitted; full text: headroom_retrieve hash=XYZ]\n\"{b}\"";
        var found = MarkerFormat.FindAll(text);
        Assert.Equal(2, found.Count);
        Assert.Equal(text.IndexOf(a, StringComparison.Ordinal), found[0].Start);
        Assert.Equal(a.Length, found[0].Length);
        Assert.Equal("ffffffffffffffffffffffff", found[1].Marker.Hash);
    }

    [Fact]
    public void CleanDetail_RemovesBracketsAndLineBreaks_AndCaps()
    {
        Assert.Equal("a (b) c d", MarkerFormat.CleanDetail("a [b] c\nd"));
        Assert.Equal(MarkerFormat.MaxDetailLength, MarkerFormat.CleanDetail(new string('x', 500)).Length);
        var text = MarkerFormat.Format(1, 2, MarkerUnit.Lines, "weird ] detail \r\n with [brackets]", Hash);
        Assert.True(MarkerFormat.TryParse(text, out _));
    }

    [Fact]
    public void ContentHash_IsFirst24HexOfSha256()
    {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        Assert.Equal("ba7816bf8f01cfea414140de", ContentHash.Compute("abc"));
    }
}
