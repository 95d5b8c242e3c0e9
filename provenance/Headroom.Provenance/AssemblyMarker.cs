namespace Headroom.Provenance; internal static class AssemblyMarker { }
