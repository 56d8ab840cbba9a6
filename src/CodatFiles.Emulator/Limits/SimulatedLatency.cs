using System.Diagnostics;

namespace CodatFiles.Emulator.Limits;

/// <summary>
/// The fixed delay of <c>--latency-ms</c>, added to every API request before it is served (and to a delay fault's
/// wait, not overlapping it), so a benchmark on loopback pays what a hosted API's round trip and processing cost.
/// It starts at the command line's value and can be changed while running (PUT /_emulator/latency), so one
/// emulator serves a benchmark's runs with and without latency.
/// </summary>
internal sealed class SimulatedLatency(int latencyMs)
{
    private int _latencyMs = latencyMs;

    public int LatencyMs
    {
        get => Volatile.Read(ref _latencyMs);
        set => Volatile.Write(ref _latencyMs, value);
    }

    public Task WaitAsync(CancellationToken cancellationToken) =>
        LatencyMs is > 0 and var ms ? Waits.AtLeastAsync(TimeSpan.FromMilliseconds(ms), cancellationToken) : Task.CompletedTask;
}

/// <summary>Delays that never end early, whatever the timer's resolution.</summary>
internal static class Waits
{
    /// <summary>
    /// Timers may fire a little early against a stopwatch; tests measure delays from outside and rely on them
    /// being at least what was asked for.
    /// </summary>
    public static async Task AtLeastAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(delay, cancellationToken);
        while (Stopwatch.GetElapsedTime(started) < delay)
        {
            await Task.Delay(1, cancellationToken);
        }
    }
}
