using Xunit;
using Headroom.Provenance.Events;

namespace Headroom.Provenance.Tests.Events;

public sealed class EventIdsTests
{
    [Fact]
    public void NewVersion7_IsAnRfc9562Version7IdCarryingItsMillisecond()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_123_456);
        var id = EventIds.NewVersion7(at);
        var reference = Guid.CreateVersion7(at);

        Assert.Equal(7, id.Version);
        Assert.Equal(reference.Variant & 0xC, id.Variant & 0xC); // RFC 9562 variant: the top two bits are 10
        // The first 48 bits are the Unix milliseconds, as the runtime's own v7 writes them.
        Assert.Equal(reference.ToString("N")[..12], id.ToString("N")[..12]);
        Assert.Equal("019e70466a40", id.ToString("N")[..12]);
    }

    [Fact]
    public void NewVersion7_IsUniqueAndOrderedByTime()
    {
        var ids = new HashSet<Guid>();
        for (var i = 0; i < 200_000; i++)
        {
            Assert.True(ids.Add(EventIds.NewVersion7()), $"id {i} repeated an earlier one");
        }

        var earlier = EventIds.NewVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_000));
        var later = EventIds.NewVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_001));
        Assert.True(string.CompareOrdinal(earlier.ToString("N"), later.ToString("N")) < 0);
    }
}
