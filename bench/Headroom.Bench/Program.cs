using Headroom.Bench;

return await BenchMain.RunAsync(args).ConfigureAwait(false);
