using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CodatFiles.Emulator.Tests.Support;

/// <summary>
/// The emulator's clock in these tests (<see cref="EmulatorOptions.TimeProvider"/>): fake, so no test waits in real
/// time, and showing the test every timer the emulator starts (latency, delay faults, store-then-delay, late commits).
/// A test waits until the emulator holds a request on such a timer, checks what it holds, then moves the clock past
/// it: the assertions are about states, never wall time.
/// </summary>
internal sealed class EmulatorTestClock : FakeTimeProvider
{
    /// <summary>How long, in real time, a test waits for the emulator before it fails instead of hanging.</summary>
    public static readonly TimeSpan RealPatience = TimeSpan.FromSeconds(20);

    private readonly Channel<TimeSpan> _started = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Starts at the real time, so the uploads it stamps and the <c>Date</c> headers it sets read as today.</summary>
    public EmulatorTestClock()
        : base(DateTimeOffset.UtcNow)
    {
    }

    /// <summary>The time as HTTP dates and the list's <c>uploaded</c> carry it: whole seconds, the rest cut off.</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _started.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Waits until the emulator starts its next timer and checks that it is one of <paramref name="dueTime"/>: the
    /// emulator is then holding the request on it, and moving the clock by that much ends the wait. Timers are
    /// taken in the order they were started; another length first fails the test, since every wait is the test's to name.
    /// </summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var patience = new CancellationTokenSource(RealPatience);
        TimeSpan started;
        try
        {
            started = await _started.Reader.ReadAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The emulator started no timer (expected one of {dueTime}) within {RealPatience}.");
        }
        Assert.Equal(dueTime, started);
    }

    /// <summary>Waits for the emulator's next timer (<see cref="WaitForTimerAsync"/>) and moves the clock past it.</summary>
    public async Task PassAsync(TimeSpan dueTime)
    {
        await WaitForTimerAsync(dueTime);
        Advance(dueTime);
    }

    /// <summary>Checks that the emulator has started no timer that no <see cref="WaitForTimerAsync"/> has taken.</summary>
    public void AssertNoTimerStarted()
    {
        var pending = new List<TimeSpan>();
        while (_started.Reader.TryRead(out var dueTime)) pending.Add(dueTime);
        Assert.True(pending.Count == 0, $"the emulator started timers of {string.Join(", ", pending)}");
    }
}
