using Headroom.Gateway.Cli;

return await HeadroomCli.RunAsync(args).ConfigureAwait(false);
