// The console host of pwsh, started as pwsh itself starts it: the hosting package exposes the same entry point.
return Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
