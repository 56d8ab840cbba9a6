using CodatFiles.Emulator;

EmulatorCommandLine commandLine;
try
{
    commandLine = EmulatorCommandLine.Parse(args);
}
catch (FormatException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(EmulatorCommandLine.Usage);
    return 2;
}
if (commandLine.ShowHelp)
{
    Console.WriteLine(EmulatorCommandLine.Usage);
    return 0;
}

await using var server = await EmulatorServer.StartAsync(commandLine.Options, commandLine.Urls, CancellationToken.None);
var baseUrl = server.BaseUrl.ToString().TrimEnd('/');

if (!commandLine.ApiKeyGiven)
{
    Console.WriteLine($"No --api-key given: using the development key '{EmulatorOptions.DevelopmentApiKey}'.");
}
if (!commandLine.ControlTokenGiven)
{
    // Printed so a developer who started it by hand can steer it; whoever passes --control-token knows it already.
    Console.WriteLine($"No --control-token given: control endpoints take 'Authorization: Bearer {commandLine.Options.ControlToken}'.");
}
Console.WriteLine($"Data directory: {server.DataDirectory}");
Console.WriteLine($"CodatFiles emulator listening on {baseUrl}");

if (commandLine.ReadyFile is { } readyFile)
{
    // Written to a temporary name and moved, so a script polling for the file never reads it half-written.
    var fullPath = Path.GetFullPath(readyFile);
    Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
    var temporary = fullPath + ".tmp";
    await File.WriteAllTextAsync(temporary, baseUrl);
    File.Move(temporary, fullPath, overwrite: true);
}

var shutdown = server.WaitForShutdownAsync();
if (commandLine.ParentProcessId is { } parentProcessId)
{
    var parentExited = ParentProcessWatch.WaitForExitAsync(parentProcessId, TimeSpan.FromSeconds(1), CancellationToken.None);
    if (await Task.WhenAny(shutdown, parentExited) == parentExited)
    {
        await parentExited; // a failure of the watch itself surfaces here instead of passing for the parent's exit
        Console.WriteLine($"Parent process {parentProcessId} has exited; stopping.");
        return 0; // disposing the server stops it
    }
}
await shutdown;
return 0;
