namespace Headroom.Media; internal static class AssemblyMarker { }
