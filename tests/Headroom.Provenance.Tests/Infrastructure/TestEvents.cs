using System.Text;
using Headroom.Provenance.EventStore;

namespace Headroom.Provenance.Tests.Infrastructure;

internal static class TestEvents
{
    public static NewEvent New(string type = "thing_happened", int n = 0) =>
        new(Guid.CreateVersion7(), type, Encoding.UTF8.GetBytes($$"""{"n":{{n}}}"""));

    public static NewEvent[] Many(int count) => Enumerable.Range(0, count).Select(i => New(n: i)).ToArray();
}
