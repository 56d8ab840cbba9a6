using System.Diagnostics;

namespace CodatFiles.Emulator.Tests.Support;

/// <summary>The built emulator run as its own process, the way scripts and the demo run it.</summary>
internal sealed class BuiltEmulatorProcess : IAsyncDisposable
{
    private BuiltEmulatorProcess(Process process, string readyFile)
    {
        Process = process;
        ReadyFile = readyFile;
    }

    public Process Process { get; }

    public string ReadyFile { get; }

    /// <summary>Starts <c>dotnet CodatFiles.Emulator.dll --ready-file TEMP</c> plus <paramref name="args"/>.</summary>
    public static BuiltEmulatorProcess Start(params string[] args)
    {
        var readyFile = Path.Combine(Path.GetTempPath(), "codatfiles-ready-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "CodatFiles.Emulator.dll"), "--ready-file", readyFile }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        return new BuiltEmulatorProcess(Process.Start(start)!, readyFile);
    }

    /// <summary>
    /// How long a RealTime test waits for the process to be ready or to exit before it fails instead of hanging.
    /// build.ps1 -Task Test runs xunit at low priority beside the Pester workers (tools/XunitRuns.ps1), where these tests
    /// took 1.9 to 5.2 s each; the bound is only there to end a hang.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Waits for the ready file and returns the base URL written to it.</summary>
    public async Task<string> WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!File.Exists(ReadyFile))
        {
            if (Process.HasExited) // read stderr only then: reading it from a live process would wait for its end
            {
                Assert.Fail("emulator exited: " + await Process.StandardError.ReadToEndAsync());
            }
            Assert.True(DateTime.UtcNow < deadline, $"no ready file within {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
        return await File.ReadAllTextAsync(ReadyFile);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
        await Process.WaitForExitAsync();
        Process.Dispose();
        File.Delete(ReadyFile);
    }
}
