using System.Diagnostics;

namespace CodatFiles.Emulator.Limits;

/// <summary>
/// The fixed delay of <c>--latency-ms</c>, added to every API request before it is served (and to a delay fault's
/// wait, not overlapping it), so a benchmark on loopback pays what a hosted API's round trip and processing cost.
/// </summary>
internal sealed class SimulatedLatency(TimeSpan latency)
{
    public TimeSpan Latency { get; } = latency;

    public Task WaitAsync(CancellationToken cancellationToken) =>
        Latency > TimeSpan.Zero ? Waits.AtLeastAsync(Latency, cancellationToken) : Task.CompletedTask;
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
