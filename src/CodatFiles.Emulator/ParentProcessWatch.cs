using System.ComponentModel;
using System.Diagnostics;

namespace CodatFiles.Emulator;

/// <summary>
/// Tells when the process that started the emulator (<c>--parent-pid</c>) is gone. A parent killed outright
/// (SIGKILL, a test host torn down) runs no cleanup, and the emulator would otherwise keep its port forever.
/// A process id reused by the system after the parent died would keep the emulator alive; ids are reused only
/// after wrapping around, long after a test run or demo ends.
/// </summary>
internal static class ParentProcessWatch
{
    /// <summary>Completes once the process has exited (at once when it is not running), checking every <paramref name="pollInterval"/>.</summary>
    public static async Task WaitForExitAsync(int processId, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(pollInterval);
        while (IsRunning(processId))
        {
            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no process has that id any more
        }
        catch (Win32Exception)
        {
            return true; // not allowed to look (another user's process on Windows): better running than stopped by mistake
        }
    }
}
