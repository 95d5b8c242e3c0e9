using Headroom.Gateway.Cli;
using Headroom.Gateway.Hosting;

// Before the thread pool grows: each thread that contends for malloc would get an arena of its own.
NativeHeap.LimitArenas();
return await HeadroomCli.RunAsync(args).ConfigureAwait(false);
