namespace CodatFiles.Emulator.Limits;

/// <summary>
/// The fixed delay of <c>--latency-ms</c>, added to every API request before it is served (and to a delay fault's
/// wait, not overlapping it), so a benchmark on loopback pays what a hosted API's round trip and processing cost.
/// It starts at the command line's value and can be changed while running (PUT /_emulator/latency), so one
/// emulator serves a benchmark's runs with and without latency. It waits on the emulator's clock.
/// </summary>
internal sealed class SimulatedLatency(int latencyMs, TimeProvider time)
{
    private int _latencyMs = latencyMs;

    public int LatencyMs
    {
        get => Volatile.Read(ref _latencyMs);
        set => Volatile.Write(ref _latencyMs, value);
    }

    public Task WaitAsync(CancellationToken cancellationToken) =>
        LatencyMs is > 0 and var ms ? Waits.AtLeastAsync(TimeSpan.FromMilliseconds(ms), time, cancellationToken) : Task.CompletedTask;
}

/// <summary>Delays on the emulator's clock that never end early, whatever the timer's resolution.</summary>
internal static class Waits
{
    /// <summary>
    /// Waits <paramref name="delay"/> on <paramref name="time"/>. The system's timers may fire a little early against
    /// its timestamps, and tests that run the built emulator measure delays from outside and rely on them being at least
    /// what was asked for, so the wait goes on in 1 ms steps until the clock's own timestamps show the whole delay.
    /// A fake clock fires a timer only once it has been moved past it, so there the steps never run.
    /// </summary>
    public static async Task AtLeastAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await Task.Delay(delay, time, cancellationToken);
        while (time.GetElapsedTime(started) < delay)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }
}
