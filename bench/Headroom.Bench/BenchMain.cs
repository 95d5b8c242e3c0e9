namespace Headroom.Bench;

/// <summary>
/// Entry point: `dotnet run -c Release --project bench/Headroom.Bench -- SUITE [args]`.
/// One line per suite; each suite lives in its own folder.
/// </summary>
internal static class BenchMain
{
    private static readonly Dictionary<string, (string Description, Func<string[], Task<int>> Run)> Suites = new(StringComparer.Ordinal)
    {
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !Suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine("usage: Headroom.Bench SUITE [args]");
            foreach (var (name, (description, _)) in Suites.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"  {name,-22} {description}");
            }

            return 2;
        }

        return await suite.Run(args[1..]).ConfigureAwait(false);
    }
}
